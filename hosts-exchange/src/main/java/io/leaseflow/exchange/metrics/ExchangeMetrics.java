package io.leaseflow.exchange.metrics;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.exchange.group.GroupStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The service's own meters; Prometheus sees them as {@code leaseflow_exchange_*}. */
@ApplicationScoped
public class ExchangeMetrics {

    private final MeterRegistry registry;
    private final Counter groupsCreated;

    ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.groupsCreated = Counter.builder("leaseflow.exchange.groups.created")
                .description("Groups created").register(registry);
    }

    public void groupCreated() {
        groupsCreated.increment();
    }

    public void groupClosed(GroupStatus status) {
        Counter.builder("leaseflow.exchange.groups.closed").description("Groups that left OPEN, by final status")
                .tag("status", status.name()).register(registry).increment();
    }

    /** {@code result} is {@code claimed} (first write of a key) or {@code updated}. */
    public void memberReported(String result) {
        Counter.builder("leaseflow.exchange.member.reports").description("Accepted member reports")
                .tag("result", result).register(registry).increment();
    }

    public void parkedPolls(Supplier<Number> count) {
        Gauge.builder("leaseflow.exchange.polls.parked", count).description("Long-polls waiting for a group change")
                .register(registry);
    }
}
