package io.leaseflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class StackEventSchemaTest {
    private final StackEvent event = new StackEvent("5b0c3c8e-0d6e-4b8e-9a57-3a2f4f6b9d10",
            "6ee55c78-ac52-41a6-99af-2d2d73bcc466", "aa45f56901ef45ee95e3d211097c0ea3", "dormant", "LAUNCHING",
            "IN_PROGRESS", "14127352-27da-461e-a00c-bdaf48cea01e", "cluster", "reservation_id",
            "087bc740-6d2d-410b-9d47-c7b2b55a9d36", "Heat accepted PATCH", Instant.parse("2026-11-25T13:07:54Z"));

    @Test
    void serializedRecordConformsToSchemaAndReadsBack() throws Exception {
        JsonNode json = EventJson.mapper().valueToTree(event);
        assertEquals(List.of(), ContractSchemas.STACK_EVENT.violations(json));
        assertEquals(event, EventJson.mapper().treeToValue(json, StackEvent.class));
    }

    @Test
    void schemaRejectsMissingPlanIdUnknownModeAndSecrets() {
        ObjectNode json = EventJson.mapper().valueToTree(event);
        json.remove("planId");
        json.put("mode", "eager");
        json.put("trustId", "f3422f7e252445de814ad906cfeeb56c");
        List<String> violations = ContractSchemas.STACK_EVENT.violations(json);
        assertTrue(violations.stream().anyMatch(v -> v.contains("planId")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("mode")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("trustId")), violations.toString());
    }

    @Test
    void everyTypeRoundTripsThroughItsCloudEventType() {
        for (StackEventType type : StackEventType.values()) {
            assertTrue(type.cloudEventType().startsWith("io.leaseflow.stack."));
            assertEquals(type, StackEventType.fromCloudEvent(type.cloudEventType()).orElseThrow());
        }
    }
}
