package io.leaseflow.watcher.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.contract.ObservedVia;

class LeaseEventFactoryTest {

    private static ObjectNode lease(String leaseId) {
        ObjectNode lease = new ObjectMapper().createObjectNode();
        lease.put("id", leaseId).put("project_id", "0a1b2c3d4e5f").put("status", "ACTIVE")
                .put("start_date", "2026-11-25T12:00:00.000000").put("end_date", "2026-11-26T12:00:00.000000");
        lease.putArray("reservations").addObject().put("id", "r-1").put("resource_type", "physical:host");
        return lease;
    }

    @Test
    void aBlazarLeaseBecomesAnEvent() {
        var event = new LeaseEventFactory().fromLease(lease("9bd57090-8954-48ab-bab9-adf9e1ac70fc"),
                ObservedVia.WEBHOOK, "m-1");
        assertEquals("9bd57090-8954-48ab-bab9-adf9e1ac70fc", event.leaseId());
    }

    @Test
    void anIdWithControlCharactersIsMalformedNotAStorageFailure() {
        // PostgreSQL text cannot hold U+0000: such an id used to fail the dedup insert and answer 500.
        var e = assertThrows(MalformedNotificationException.class, () -> new LeaseEventFactory()
                .fromLease(lease("9bd57090\u0000-8954"), ObservedVia.WEBHOOK, "m-2"));
        assertTrue(e.getMessage().contains("'lease_id' is not an id"), e.getMessage());
        assertThrows(MalformedNotificationException.class, () -> new LeaseEventFactory()
                .fromLease(lease("x".repeat(256)), ObservedVia.WEBHOOK, "m-3"));
    }
}
