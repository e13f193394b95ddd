package io.leaseflow.sim.blazar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Blazar lease with its reservations and events. Mutated only while holding its monitor. */
public class Lease {

    /** One reservation; {@code attributes} holds the type-specific fields in Blazar's order. */
    public static class Reservation {
        String id;
        String resourceId;
        String resourceType;
        String status = "pending";
        Map<String, Object> attributes = new LinkedHashMap<>();
        Instant createdAt;
        Instant updatedAt;

        public String id() {
            return id;
        }

        public String status() {
            return status;
        }

        public Map<String, Object> attributes() {
            return attributes;
        }
    }

    /** A lease event; Blazar's manager runs it when {@code time} has passed. */
    public static class Event {
        String id;
        String eventType;
        Instant time;
        String status = "UNDONE";
        Instant createdAt;
        Instant updatedAt;
    }

    String id;
    String name;
    Instant startDate;
    Instant endDate;
    String status = "PENDING";
    String userId;
    String projectId;
    String trustId;
    Instant createdAt;
    Instant updatedAt;
    final List<Reservation> reservations = new ArrayList<>();
    final List<Event> events = new ArrayList<>();

    public String id() {
        return id;
    }

    public String projectId() {
        return projectId;
    }

    public synchronized String status() {
        return status;
    }

    public synchronized List<Reservation> reservations() {
        return List.copyOf(reservations);
    }

    Optional<Event> event(String type) {
        return events.stream().filter(e -> e.eventType.equals(type)).findFirst();
    }
}
