package io.leaseflow.watcher.notification;

import com.fasterxml.jackson.databind.JsonNode;

/** The inner oslo message of a notification; {@code messageId} is oslo's own, unique per send. */
public record BlazarNotification(String messageId, String publisherId, String eventType, String priority,
        JsonNode payload, String timestamp) {

    public String leaseId() {
        return payload.path("lease_id").asText(null);
    }
}
