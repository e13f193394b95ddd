package io.leaseflow.sim.blazar;

import io.leaseflow.sim.OpenStackTimes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blazar's two JSON views of a lease: the REST one ({@code lease-details-resp.json}) and upstream's notification
 * payload, whose key order differs (§9.1). Callers hold the lease's monitor.
 */
final class LeaseJson {

    private static final Map<String, List<String>> REST_ORDER = Map.of(
            "physical:host", List.of("min", "max", "hypervisor_properties", "resource_properties", "before_end", "on_start"),
            "virtual:instance", List.of("amount", "vcpus", "memory_mb", "disk_gb", "affinity", "resource_properties",
                    "flavor_id", "server_group_id", "aggregate_id"));
    private static final Map<String, List<String>> PAYLOAD_ORDER = Map.of(
            "physical:host", List.of("hypervisor_properties", "resource_properties", "before_end", "on_start", "min", "max"),
            "virtual:instance", List.of("vcpus", "memory_mb", "disk_gb", "amount", "affinity", "resource_properties",
                    "flavor_id", "aggregate_id", "server_group_id"));

    private LeaseJson() {
    }

    static Map<String, Object> rest(Lease lease) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", lease.id);
        json.put("name", lease.name);
        json.put("start_date", perfect(lease.startDate));
        json.put("end_date", perfect(lease.endDate));
        json.put("status", lease.status);
        json.put("degraded", false);
        json.put("user_id", lease.userId);
        json.put("project_id", lease.projectId);
        json.put("trust_id", lease.trustId);
        json.put("created_at", row(lease.createdAt));
        json.put("updated_at", row(lease.updatedAt));
        json.put("reservations", lease.reservations.stream().map(r -> restReservation(lease, r)).toList());
        json.put("events", lease.events.stream().map(e -> restEvent(lease, e)).toList());
        return json;
    }

    private static Map<String, Object> restReservation(Lease lease, Lease.Reservation r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id);
        json.put("lease_id", lease.id);
        json.put("status", r.status);
        json.put("missing_resources", false);
        json.put("resources_changed", false);
        json.put("resource_id", r.resourceId);
        json.put("resource_type", r.resourceType);
        putAttributes(json, r, REST_ORDER);
        json.put("created_at", row(r.createdAt));
        json.put("updated_at", row(r.updatedAt));
        return json;
    }

    private static Map<String, Object> restEvent(Lease lease, Lease.Event e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id);
        json.put("lease_id", lease.id);
        json.put("status", e.status);
        json.put("event_type", e.eventType);
        json.put("time", perfect(e.time));
        json.put("created_at", row(e.createdAt));
        json.put("updated_at", row(e.updatedAt));
        return json;
    }

    /** Chameleon's {@code format_lease_payload}: five keys, the same for every event type. */
    static Map<String, Object> chameleonPayload(Lease lease) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lease_id", lease.id);
        json.put("user_id", lease.userId);
        json.put("project_id", lease.projectId);
        json.put("start_date", perfect(lease.startDate));
        json.put("end_date", perfect(lease.endDate));
        return json;
    }

    /** Upstream's payload (blazar 1c175fe): the whole lease, with the status it has while the event runs. */
    static Map<String, Object> upstreamPayload(Lease lease, String status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lease_id", lease.id);
        json.put("user_id", lease.userId);
        json.put("project_id", lease.projectId);
        json.put("trust_id", lease.trustId);
        json.put("start_date", perfect(lease.startDate));
        json.put("end_date", perfect(lease.endDate));
        json.put("status", status);
        json.put("reservations", lease.reservations.stream().map(r -> payloadReservation(lease, r)).toList());
        json.put("events", lease.events.stream().map(e -> payloadEvent(lease, e)).toList());
        json.put("name", lease.name);
        json.put("created_at", row(lease.createdAt));
        json.put("updated_at", row(lease.updatedAt));
        json.put("degraded", false);
        return json;
    }

    private static Map<String, Object> payloadReservation(Lease lease, Lease.Reservation r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("created_at", row(r.createdAt));
        json.put("updated_at", row(r.updatedAt));
        json.put("id", r.id);
        json.put("lease_id", lease.id);
        json.put("resource_id", r.resourceId);
        json.put("resource_type", r.resourceType);
        json.put("status", r.status);
        json.put("missing_resources", false);
        json.put("resources_changed", false);
        putAttributes(json, r, PAYLOAD_ORDER);
        return json;
    }

    private static Map<String, Object> payloadEvent(Lease lease, Lease.Event e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("created_at", row(e.createdAt));
        json.put("updated_at", row(e.updatedAt));
        json.put("id", e.id);
        json.put("lease_id", lease.id);
        json.put("event_type", e.eventType);
        json.put("time", perfect(e.time));
        json.put("status", e.status);
        return json;
    }

    private static void putAttributes(Map<String, Object> json, Lease.Reservation r, Map<String, List<String>> orders) {
        List<String> order = orders.getOrDefault(r.resourceType, List.of());
        for (String key : order) {
            if (r.attributes.containsKey(key)) {
                json.put(key, r.attributes.get(key));
            }
        }
        r.attributes.forEach(json::putIfAbsent);
    }

    static String perfect(Instant t) {
        return OpenStackTimes.format(t, OpenStackTimes.PERFECT);
    }

    static String row(Instant t) {
        return OpenStackTimes.format(t, OpenStackTimes.ROW);
    }
}
