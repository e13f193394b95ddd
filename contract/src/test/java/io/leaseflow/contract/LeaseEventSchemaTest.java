package io.leaseflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class LeaseEventSchemaTest {
    private final LeaseEvent event = new LeaseEvent("6ee55c78-ac52-41a6-99af-2d2d73bcc466", "lease_foo",
            "aa45f56901ef45ee95e3d211097c0ea3", "5434f637520d4c17bbf254af034b0320", null,
            Instant.parse("2017-12-26T12:00:00Z"), Instant.parse("2017-12-27T12:00:00Z"), "ACTIVE",
            List.of(new LeaseEvent.Reservation("087bc740-6d2d-410b-9d47-c7b2b55a9d36", "physical:host", "active", null)),
            ObservedVia.NOTIFICATION, "5fa13a2c-5895-4626-9016-39d3647e7ed8", Instant.parse("2026-11-25T13:07:54Z"));

    @Test
    void serializedRecordConformsToSchemaAndReadsBack() throws Exception {
        JsonNode json = EventJson.mapper().valueToTree(event);
        assertEquals(List.of(), ContractSchemas.LEASE_EVENT.violations(json));
        assertEquals("2017-12-26T12:00:00Z", json.get("startDate").asText());
        assertEquals(event, EventJson.mapper().treeToValue(json, LeaseEvent.class));
    }

    @Test
    void schemaRejectsMissingLeaseIdAndUnknownObservationPath() {
        ObjectNode json = EventJson.mapper().valueToTree(event);
        json.remove("leaseId");
        json.put("observedVia", "CARRIER_PIGEON");
        List<String> violations = ContractSchemas.LEASE_EVENT.violations(json);
        assertTrue(violations.stream().anyMatch(v -> v.contains("leaseId")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("observedVia")), violations.toString());
    }

    @Test
    void sameFactHasSameIdAndOtherFactsDiffer() {
        String started = CloudEventIds.leaseEvent(event.leaseId(), LeaseEventType.STARTED);
        assertEquals(started, CloudEventIds.leaseEvent(event.leaseId(), LeaseEventType.STARTED));
        assertNotEquals(started, CloudEventIds.leaseEvent(event.leaseId(), LeaseEventType.ENDED));
        assertNotEquals(started, CloudEventIds.leaseEvent("other", LeaseEventType.STARTED));
    }

    @Test
    void blazarEventTypesMapToCloudEventTypes() {
        assertEquals(LeaseEventType.STARTED, LeaseEventType.fromBlazar("lease.event.start_lease").orElseThrow());
        assertEquals("org.openstack.reservation.lease.ending",
                LeaseEventType.fromBlazar("lease.event.before_end_lease").orElseThrow().cloudEventType());
        assertFalse(LeaseEventType.fromBlazar("lease.event.before_end_lease.stop").isPresent());
        assertFalse(LeaseEventType.fromBlazar("compute.instance.create.end").isPresent());
    }
}
