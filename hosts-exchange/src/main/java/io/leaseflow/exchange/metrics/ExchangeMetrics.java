package io.leaseflow.exchange.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.exchange.group.GroupStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The service's own meters; Prometheus sees them as {@code leaseflow_exchange_*}. */
@ApplicationScoped
public class ExchangeMetrics {

    private final MeterRegistry registry;
    private final Counter groupsCreated;
    private final Timer completion;
    private final Map<GroupStatus, AtomicLong> groupsByStatus = new EnumMap<>(GroupStatus.class);

    ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.groupsCreated = Counter.builder("leaseflow.exchange.groups.created")
                .description("Groups created").register(registry);
        this.completion = Timer.builder("leaseflow.exchange.group.completion")
                .description("From the last member's report reaching a replica to the group's completion being"
                        + " committed by the partition owner")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        // the same name in every service, registered at start so that the DLQ alert has a series before any poison
        for (String consumer : new String[] {"reports", "events"}) {
            deadLetteredTotal(consumer);
        }
        for (GroupStatus status : GroupStatus.values()) {
            AtomicLong count = new AtomicLong();
            groupsByStatus.put(status, count);
            Gauge.builder("leaseflow.exchange.groups", count, AtomicLong::get)
                    .description("Groups in the database by status (refreshed by the sweep)")
                    .tag("status", status.name()).register(registry);
        }
    }

    public void groupCreated() {
        groupsCreated.increment();
    }

    public void groupClosed(GroupStatus status) {
        Counter.builder("leaseflow.exchange.groups.closed").description("Groups that left OPEN, by final status")
                .tag("status", status.name()).register(registry).increment();
    }

    /** The owner's decision on a report: {@code claimed}, {@code updated}, {@code unchanged} or {@code rejected}. */
    public void groupsPurged(long count) {
        Counter.builder("leaseflow.exchange.groups.purged").description("Closed groups deleted past their retention")
                .register(registry).increment(count);
    }

    public void memberReported(String result) {
        Counter.builder("leaseflow.exchange.member.reports").description("Member reports decided by the partition"
                + " owner; rate() gives reports/s").tag("result", result).register(registry).increment();
    }

    /** A write accepted over HTTP and made durable in Kafka, by protocol ({@code native}, {@code heat-signal}). */
    public void reportReceived(String via) {
        Counter.builder("leaseflow.exchange.reports.received").description("Member writes published to Kafka")
                .tag("via", via).register(registry).increment();
    }

    public void groupCompleted(Duration sinceLastReport) {
        completion.record(sinceLastReport.isNegative() ? Duration.ZERO : sinceLastReport);
    }

    public void groupsByStatus(Map<GroupStatus, Long> counts) {
        groupsByStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
    }

    /** A long-poll refused because {@code leaseflow.exchange.max-parked-polls} were parked already. */
    public void pollRefused() {
        Counter.builder("leaseflow.exchange.polls.refused")
                .description("Long-polls refused with 503 because the replica had max-parked-polls parked")
                .register(registry).increment();
    }

    /** Duplicate deliveries recognised by a consumer ({@code reports} or {@code events}). */
    public void duplicate(String consumer) {
        Counter.builder("leaseflow.exchange.duplicates").description("Redelivered records recognised and skipped")
                .tag("consumer", consumer).register(registry).increment();
    }

    public void deadLettered(String consumer) {
        Counter.builder("leaseflow.exchange.dead.lettered").description("Records sent to a dead-letter topic")
                .tag("consumer", consumer).register(registry).increment();
        deadLetteredTotal(consumer).increment();
    }

    private Counter deadLetteredTotal(String consumer) {
        return Counter.builder("leaseflow.dead.lettered").description("Records written to a dead-letter topic")
                .tag("topic", "leaseflow.exchange-" + consumer + ".dlq").register(registry);
    }

    public void parkedPolls(Supplier<Number> count) {
        Gauge.builder("leaseflow.exchange.polls.parked", count).description("Long-polls waiting for a group change")
                .register(registry);
    }
}
