package io.leaseflow.exchange.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.deadletter.DeadLetterReplayer;
import io.leaseflow.deadletter.ReplayResult;
import io.leaseflow.exchange.events.ExchangeEventListener;
import io.leaseflow.exchange.report.ReportOwner;
import io.smallrye.mutiny.Uni;

/**
 * Replays hosts-exchange's dead letters through the paths live records take: a report through the owner's decision
 * (a report decided before is a {@code duplicate}: its reportId is remembered), an exchange event through this
 * replica's listener (which only wakes parked polls).
 */
@ApplicationScoped
public class ExchangeDeadLetterReplayer implements DeadLetterReplayer {
    static final String REPORTS = "leaseflow.exchange-reports";
    private final ReportOwner owner;
    private final ExchangeEventListener listener;

    public ExchangeDeadLetterReplayer(ReportOwner owner, ExchangeEventListener listener) {
        this.owner = owner;
        this.listener = listener;
    }

    @Override
    public Uni<ReplayResult> replay(String source, Map<String, String> headers, byte[] payload) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(source, 0, 0L, null,
                new String(payload, StandardCharsets.UTF_8));
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        if (source.startsWith(REPORTS)) {
            ExchangeReport report;
            try {
                report = ReportOwner.parse(record);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(ReplayResult.stillBad(e.getMessage()));
            }
            return owner.decide(List.of(report)).map(applied -> ReplayResult.applied(applied.duplicates() > 0
                    ? "duplicate" : "decided"));
        }
        try {
            listener.handle(record);
            return Uni.createFrom().item(ReplayResult.applied("handled"));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(ReplayResult.stillBad(e.getMessage()));
        }
    }
}
