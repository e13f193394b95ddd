package io.leaseflow.exchange.trace;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;

/** Puts the group (and its lease, when known) on the current span and into the MDC, so every log line names them. */
public final class GroupTrace {
    public static final String GROUP_ID = "leaseflow.group.id";
    public static final String LEASE_ID = "leaseflow.lease.id";

    private GroupTrace() {
    }

    public static void ids(String groupId, String leaseId) {
        put(GROUP_ID, "groupId", groupId);
        put(LEASE_ID, "leaseId", leaseId);
    }

    private static void put(String attribute, String mdcKey, String value) {
        if (value != null && !value.isEmpty()) {
            Span.current().setAttribute(attribute, value);
            MDC.put(mdcKey, value);
        }
    }
}
