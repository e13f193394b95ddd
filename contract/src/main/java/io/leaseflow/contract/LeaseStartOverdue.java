package io.leaseflow.contract;

import java.time.Instant;
import java.util.List;

/**
 * Data of {@code io.leaseflow.lease.start-overdue} on {@link Topics#LEASE_EVENTS} (key: lease id), schema
 * {@code schemas/lease-start-overdue.schema.json}: stack-launcher's watchdog saw a bound lease more than its grace
 * past {@code startDate} with no start observed. lease-watcher answers by reconciling that lease against Blazar.
 */
public record LeaseStartOverdue(
        String leaseId,
        String projectId,
        Instant startDate,
        Instant endDate,
        List<String> planIds,
        long overdueSeconds,
        Instant detectedAt) {

    /** The CloudEvent type; not a Blazar fact, so not a {@link LeaseEventType}. */
    public static final String TYPE = "io.leaseflow.lease.start-overdue";

    public LeaseStartOverdue {
        planIds = planIds == null ? List.of() : List.copyOf(planIds);
    }

    /** One CloudEvent id per lease: every replica and every retry of the watchdog reports the same fact. */
    public static String cloudEventId(String leaseId) {
        return CloudEventIds.nameBased("lease/" + leaseId + "/" + TYPE);
    }
}
