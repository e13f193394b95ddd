package io.leaseflow.contract.exchange;

import io.leaseflow.contract.ContractSchemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.contract.EventJson;

class ExchangeSchemasTest {
    private static final String HASH = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
    private final ExchangeReport report = new ExchangeReport("3f1c0d2e-5b7a-4c4e-9a51-0c6f2f1b7d10",
            "9bd57090-8954-48ab-bab9-adf9e1ac70fc", "node-0", Map.of("hosts", "10.0.0.5 node-0\n"), 0,
            ExchangeReport.ReportVia.HEAT_SIGNAL, HASH, HASH, Instant.parse("2026-11-25T13:07:54Z"), "replica-a");
    private final ExchangeEvent event = new ExchangeEvent("9bd57090-8954-48ab-bab9-adf9e1ac70fc", "COMPLETE", 2, 2, 0,
            4, null, List.of(new ExchangeEvent.Report(report.reportId(), "node-0", ExchangeEvent.Outcome.CLAIMED, null),
                    new ExchangeEvent.Report("7a0c5c55-65c1-4a44-8e0b-2a4f3f0e9b11", "node-1",
                            ExchangeEvent.Outcome.REJECTED, "member-secret-mismatch")),
            Instant.parse("2026-11-25T13:07:55Z"));

    @Test
    void reportConformsAndReadsBack() throws Exception {
        JsonNode json = EventJson.mapper().valueToTree(report);
        assertEquals(List.of(), ContractSchemas.EXCHANGE_REPORT.violations(json));
        assertEquals(report, EventJson.mapper().treeToValue(json, ExchangeReport.class));
    }

    @Test
    void eventConformsAndReadsBack() throws Exception {
        JsonNode json = EventJson.mapper().valueToTree(event);
        assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(json));
        assertEquals(event, EventJson.mapper().treeToValue(json, ExchangeEvent.class));
        JsonNode groupLevel = EventJson.mapper().valueToTree(
                new ExchangeEvent(event.groupId(), "EXPIRED", 2, 1, 0, 5, event.occurredAt()));
        assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(groupLevel));
        // What replicas before batched decisions published: one decision in "report".
        var single = new ExchangeEvent(event.groupId(), "OPEN", 2, 1, 0, 3, event.reports().get(0), null,
                event.occurredAt());
        assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(EventJson.mapper().valueToTree(single)));
        assertEquals(List.of(event.reports().get(0)), single.decisions());
        assertEquals(2, event.decisions().size());
    }

    @Test
    void schemaRejectsBadKeysAndSecretsInPlaceOfHashes() {
        ObjectNode json = EventJson.mapper().valueToTree(report);
        json.put("memberKey", "node 0!");
        json.put("claimSecretHash", "a secret, not a hash");
        json.putObject("outputs").put("hosts", 42);
        List<String> violations = ContractSchemas.EXCHANGE_REPORT.violations(json);
        assertTrue(violations.stream().anyMatch(v -> v.contains("memberKey")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("claimSecretHash")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("hosts")), violations.toString());
    }

    @Test
    void everyEventTypeIsInTheExchangeNamespace() {
        for (ExchangeCloudEvents type : ExchangeCloudEvents.values()) {
            assertTrue(type.type().startsWith("io.leaseflow.exchange."), type.type());
            assertEquals(type, ExchangeCloudEvents.fromType(type.type()).orElseThrow());
        }
    }
}
