package io.leaseflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class LeaseStartOverdueSchemaTest {
    private final LeaseStartOverdue overdue = new LeaseStartOverdue("6ee55c78-ac52-41a6-99af-2d2d73bcc466",
            "aa45f56901ef45ee95e3d211097c0ea3", Instant.parse("2026-11-25T13:00:00Z"),
            Instant.parse("2026-11-26T13:00:00Z"), List.of("5b0c3c8e-0d6e-4b8e-9a57-3a2f4f6b9d10"), 75,
            Instant.parse("2026-11-25T13:01:15Z"));

    @Test
    void serializedRecordConformsToSchemaAndReadsBack() throws Exception {
        JsonNode json = EventJson.mapper().valueToTree(overdue);
        assertEquals(List.of(), ContractSchemas.LEASE_START_OVERDUE.violations(json));
        assertEquals(overdue, EventJson.mapper().treeToValue(json, LeaseStartOverdue.class));
    }

    @Test
    void schemaRejectsMissingLeaseIdAndEmptyPlans() {
        ObjectNode json = EventJson.mapper().valueToTree(overdue);
        json.remove("leaseId");
        json.putArray("planIds");
        List<String> violations = ContractSchemas.LEASE_START_OVERDUE.violations(json);
        assertTrue(violations.stream().anyMatch(v -> v.contains("leaseId")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("planIds")), violations.toString());
    }

    @Test
    void oneCloudEventIdPerLeaseDistinctFromItsStart() {
        String id = LeaseStartOverdue.cloudEventId(overdue.leaseId());
        assertEquals(id, LeaseStartOverdue.cloudEventId(overdue.leaseId()));
        assertNotEquals(id, CloudEventIds.leaseEvent(overdue.leaseId(), LeaseEventType.STARTED));
        assertTrue(LeaseEventType.fromCloudEvent(LeaseStartOverdue.TYPE).isEmpty(),
                "consumers of Blazar facts must not mistake it for one");
    }
}
