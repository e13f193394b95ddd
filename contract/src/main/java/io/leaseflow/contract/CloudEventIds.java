package io.leaseflow.contract;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic CloudEvent ids: the same fact observed twice (notification, poll, webhook, redelivery) carries the
 * same id, so consumers deduplicate on it.
 */
public final class CloudEventIds {
    private CloudEventIds() {
    }

    public static String leaseEvent(String leaseId, LeaseEventType type) {
        return nameBased("lease/" + leaseId + "/" + type.cloudEventType());
    }

    public static String nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
