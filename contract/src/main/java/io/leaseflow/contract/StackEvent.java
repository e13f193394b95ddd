package io.leaseflow.contract;

import java.time.Instant;

/**
 * Data of a CloudEvent on {@link Topics#STACK_EVENTS} (key: plan id); schema {@code schemas/stack-event.schema.json}.
 * {@code status} is the plan's state after the transition; {@code fromStatus} the one before (null at creation).
 * Never carries tokens or trust ids.
 */
public record StackEvent(
        String planId,
        String leaseId,
        String projectId,
        String mode,
        String fromStatus,
        String status,
        String heatStackId,
        String stackName,
        String reservationParameter,
        String reservationId,
        String reason,
        Instant occurredAt) {
}
