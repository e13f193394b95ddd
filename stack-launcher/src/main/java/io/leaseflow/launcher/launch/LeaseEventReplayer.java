package io.leaseflow.launcher.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.deadletter.DeadLetterReplayer;
import io.leaseflow.deadletter.ReplayResult;
import io.smallrye.mutiny.Uni;

/**
 * Replays a dead-lettered lease event through {@link LeaseEventConsumer#handle}: a plan already claimed by the
 * first delivery or another replay is not launched again (the {@code INIT_COMPLETE -> LAUNCHING} claim is
 * conditional). The value must satisfy the lease-event JSON Schema of the contract.
 */
@ApplicationScoped
public class LeaseEventReplayer implements DeadLetterReplayer {
    static final String CE_TYPE = "ce_type";
    private final LeaseEventConsumer consumer;

    public LeaseEventReplayer(LeaseEventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Uni<ReplayResult> replay(String source, Map<String, String> headers, byte[] payload) {
        String type = headers.getOrDefault(CE_TYPE, "");
        if (LeaseEventType.fromCloudEvent(type).isEmpty()) {
            return Uni.createFrom().item(ReplayResult.stillBad("ce_type '" + type + "' is not a lease event type"));
        }
        LeaseEvent event;
        try {
            JsonNode json = EventJson.mapper().readTree(payload);
            List<String> violations = json == null ? List.of("empty value")
                    : ContractSchemas.LEASE_EVENT.violations(json);
            if (!violations.isEmpty()) {
                return Uni.createFrom().item(ReplayResult.stillBad("not a valid lease event: "
                        + String.join("; ", violations)));
            }
            event = EventJson.mapper().treeToValue(json, LeaseEvent.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(ReplayResult.stillBad("not a valid lease event: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return Uni.createFrom().item(ReplayResult.stillBad("not a valid lease event: " + e.getMessage()));
        }
        return consumer.handle(type, event, System.nanoTime()).replaceWith(ReplayResult.applied("handled"));
    }
}
