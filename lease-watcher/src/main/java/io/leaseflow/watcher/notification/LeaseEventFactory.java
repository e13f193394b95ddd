package io.leaseflow.watcher.notification;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.ObservedVia;

/**
 * Builds lease events from Blazar's lease JSON: upstream's extended notification payload and the REST API's lease
 * have the same field names; Chameleon's short payload lacks reservations and must be enriched first.
 */
@ApplicationScoped
public class LeaseEventFactory {

    /** True when the payload already carries what a lease event needs (upstream since 2025-10-31). */
    public boolean isComplete(JsonNode lease) {
        return lease.path("reservations").isArray() && lease.has("status");
    }

    public LeaseEvent fromLease(JsonNode lease, ObservedVia via, String sourceMessageId) {
        List<LeaseEvent.Reservation> reservations = new ArrayList<>();
        for (JsonNode r : lease.path("reservations")) {
            reservations.add(new LeaseEvent.Reservation(text(r, "id"), text(r, "resource_type"), text(r, "status"),
                    text(r, "on_start")));
        }
        String leaseId = lease.has("lease_id") ? text(lease, "lease_id") : text(lease, "id");
        String projectId = text(lease, "project_id");
        if (leaseId == null || leaseId.isBlank() || projectId == null || projectId.isBlank()) {
            throw new MalformedNotificationException("lease_id and project_id are required");
        }
        requireId(leaseId, "lease_id");
        requireId(projectId, "project_id");
        Instant start = blazarTime(lease, "start_date");
        Instant end = blazarTime(lease, "end_date");
        if (end.isBefore(start)) {
            throw new MalformedNotificationException("end_date " + end + " is before start_date " + start);
        }
        return new LeaseEvent(leaseId, text(lease, "name"), projectId, text(lease, "user_id"),
                text(lease, "trust_id"), start, end, text(lease, "status"), reservations, via, sourceMessageId,
                Instant.now());
    }

    /**
     * Blazar's ids are UUIDs (Keystone's project ids are hex): anything with control characters, or longer than a
     * column can hold, is not one, and is refused with the rest of a malformed notification.
     */
    static void requireId(String value, String field) {
        if (value.length() > 255 || value.chars().anyMatch(Character::isISOControl)) {
            throw new MalformedNotificationException("'" + field + "' is not an id (control characters or over 255"
                    + " characters)");
        }
    }

    /** Blazar dates are naive UTC, {@code 2017-12-26T12:00:00.000000} (v1 drops the fraction). */
    static Instant blazarTime(JsonNode lease, String field) {
        String value = text(lease, field);
        if (value == null) {
            throw new MalformedNotificationException("'" + field + "' is missing");
        }
        try {
            return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MalformedNotificationException("'" + field + "' is not a Blazar date: " + value, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
