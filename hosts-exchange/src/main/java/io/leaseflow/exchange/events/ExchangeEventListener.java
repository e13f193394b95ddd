package io.leaseflow.exchange.events;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.exchange.inputs.GroupChangeNotifier;
import io.leaseflow.exchange.inputs.GroupInputsReader;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.exchange.report.Decision;
import io.leaseflow.exchange.group.OpenGroups;
import io.leaseflow.exchange.report.PendingDecisions;
import io.smallrye.mutiny.Uni;

/**
 * Every replica's view of {@code leaseflow.exchange-events} (its own consumer group): wakes the long-polls parked
 * here and hands decisions to the writes waiting here. Effects are idempotent; recently seen CloudEvent ids are
 * skipped all the same. A record it cannot read fails, and the channel's dead-letter strategy keeps it.
 */
@ApplicationScoped
public class ExchangeEventListener {

    private static final int REMEMBERED_IDS = 100_000;

    private final GroupChangeNotifier notifier;
    private final OpenGroups openGroups;
    private final GroupInputsReader inputs;
    private final PendingDecisions pending;
    private final ExchangeMetrics metrics;
    private final Set<String> recentIds = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_IDS;
                }
            }));

    ExchangeEventListener(GroupChangeNotifier notifier, OpenGroups openGroups, GroupInputsReader inputs,
            PendingDecisions pending, ExchangeMetrics metrics) {
        this.notifier = notifier;
        this.openGroups = openGroups;
        this.inputs = inputs;
        this.pending = pending;
        this.metrics = metrics;
    }

    @Incoming("exchange-events-replica")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return Uni.createFrom().item(() -> {
            handle(record);
            return null;
        }).onFailure().invoke(f -> metrics.deadLettered("events")).replaceWithVoid();
    }

    /** Applies one exchange event; an unreadable one fails with {@link IllegalArgumentException}. */
    public void handle(ConsumerRecord<String, String> record) {
        String id = header(record, "ce_id");
        String type = header(record, "ce_type");
        var known = ExchangeCloudEvents.fromType(type)
                .filter(t -> t != ExchangeCloudEvents.REPORT_SUBMITTED)
                .orElseThrow(() -> new IllegalArgumentException("unknown ce_type " + type));
        if (id == null) {
            throw new IllegalArgumentException("no ce_id");
        }
        ExchangeEvent event;
        try {
            event = EventJson.mapper().readValue(record.value(), ExchangeEvent.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("data is not an exchange event: " + e.getMessage(), e);
        }
        UUID groupId = UUID.fromString(event.groupId());
        if (!recentIds.add(id)) {
            metrics.duplicate("events");
            return;
        }
        boolean closed = !"OPEN".equals(event.status());
        if (closed) {
            openGroups.forget(groupId);
        }
        if ("DELETED".equals(event.status())) {
            inputs.forget(groupId);
        }
        if (known == ExchangeCloudEvents.MEMBER_REPORTED) {
            var decisions = event.decisions();
            if (decisions.isEmpty()) {
                throw new IllegalArgumentException("member-reported without a decision");
            }
            boolean changed = false;
            for (var report : decisions) {
                pending.decided(report.reportId(), new Decision(report.outcome(), report.rejection(), event.status()));
                changed |= report.outcome() == ExchangeEvent.Outcome.CLAIMED
                        || report.outcome() == ExchangeEvent.Outcome.UPDATED;
            }
            if (changed) {
                notifier.groupChanged(groupId, closed);
            }
        } else {
            notifier.groupChanged(groupId, closed);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
