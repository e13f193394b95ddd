package io.leaseflow.exchange.report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.events.ExchangeEventPublisher;
import io.leaseflow.exchange.member.MemberReport;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@code leaseflow.exchange-reports} in the shared consumer group: whichever replica owns a group's
 * partition decides on its reports, in batches, then publishes the outcomes to {@code leaseflow.exchange-events}.
 * Unreadable records go to the dead-letter topic one by one; a batch whose transaction keeps failing is nacked, and
 * the channel's {@code dead-letter-queue} strategy keeps it there rather than blocking the partition.
 */
@ApplicationScoped
public class ReportOwner {

    private static final Logger LOG = Logger.getLogger(ReportOwner.class);

    private final ReportDecisions decisions;
    private final ExchangeEventPublisher events;
    private final ReportDeadLetters deadLetters;
    private final ExchangeMetrics metrics;

    ReportOwner(ReportDecisions decisions, ExchangeEventPublisher events, ReportDeadLetters deadLetters,
            ExchangeMetrics metrics) {
        this.decisions = decisions;
        this.events = events;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Incoming("exchange-reports-owner")
    public Uni<Void> onBatch(ConsumerRecords<String, String> records) {
        List<ExchangeReport> reports = new ArrayList<>();
        List<Uni<Void>> dead = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                reports.add(parse(record));
            } catch (RuntimeException e) {
                LOG.warnf("exchange-reports %d/%d unreadable, dead-lettered: %s", record.partition(), record.offset(),
                        e.getMessage());
                metrics.deadLettered("reports");
                dead.add(deadLetters.send(record, e));
            }
        }
        Uni<Void> deadLettered = dead.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(dead).andFailFast().replaceWithVoid();
        if (reports.isEmpty()) {
            return deadLettered;
        }
        return deadLettered.chain(() -> decide(reports)).replaceWithVoid();
    }

    /**
     * Decides on readable reports (the owner's batches and operators' replays of dead letters alike) and publishes
     * the outcomes. A report decided before counts as a duplicate and changes nothing.
     */
    public Uni<ReportDecisions.Applied> decide(List<ExchangeReport> reports) {
        return decisions.decide(reports)
                .onFailure().invoke(e -> LOG.warnf("deciding %d reports failed, retrying: %s", reports.size(),
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(6)
                .call(applied -> {
                    applied.outcomes().forEach((result, n) -> {
                        for (int i = 0; i < n; i++) {
                            metrics.memberReported(result);
                        }
                    });
                    for (int i = 0; i < applied.duplicates(); i++) {
                        metrics.duplicate("reports");
                    }
                    applied.closed().forEach(c -> {
                        metrics.groupClosed(c.status());
                        metrics.groupCompleted(c.sinceLastReport());
                    });
                    // The decisions are committed: a lost event only delays wake-ups until the resync repairs them.
                    return events.publishAll(applied.events())
                            .onFailure().invoke(e -> LOG.warnf("publishing %d exchange events failed; the resync"
                                    + " repairs parked polls: %s", applied.events().size(), e.getMessage()))
                            .onFailure().recoverWithNull();
                });
    }

    /** A record is usable when it is a report-submitted CloudEvent whose data passes the contract's rules. */
    public static ExchangeReport parse(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        if (!ExchangeCloudEvents.REPORT_SUBMITTED.type().equals(type)) {
            throw new IllegalArgumentException("ce_type is " + type + ", expected "
                    + ExchangeCloudEvents.REPORT_SUBMITTED.type());
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("no data");
        }
        ExchangeReport report;
        try {
            report = EventJson.mapper().readValue(record.value(), ExchangeReport.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("data is not an exchange report: " + e.getMessage(), e);
        }
        UUID.fromString(require(report.groupId(), "groupId"));
        require(report.reportId(), "reportId");
        if (report.memberKey() == null || !MemberReport.KEY.matcher(report.memberKey()).matches()) {
            throw new IllegalArgumentException("memberKey must match " + MemberReport.KEY.pattern());
        }
        if (report.via() == null || report.receivedAt() == null) {
            throw new IllegalArgumentException("via and receivedAt are required");
        }
        byte[] claim = SecretTokens.decode(require(report.claimSecretHash(), "claimSecretHash"));
        if (claim.length != 32) {
            throw new IllegalArgumentException("claimSecretHash is not a SHA-256");
        }
        if (report.outputs().values().stream().anyMatch(v -> v == null)) {
            throw new IllegalArgumentException("output values must be strings");
        }
        return report;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
