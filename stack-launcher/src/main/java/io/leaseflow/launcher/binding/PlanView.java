package io.leaseflow.launcher.binding;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.leaseflow.launcher.plan.LaunchPlan;

/** What the API shows of a plan: never the trust id. */
public record PlanView(
        String id,
        @JsonProperty("lease_id") String leaseId,
        @JsonProperty("heat_stack_id") String heatStackId,
        @JsonProperty("stack_name") String stackName,
        String mode,
        @JsonProperty("stack_status") String status,
        @JsonProperty("status_reason") String statusReason,
        @JsonProperty("reservation_parameter") String reservationParameter,
        @JsonProperty("reservation_id") String reservationId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static PlanView of(LaunchPlan p) {
        return new PlanView(p.id, p.leaseId, p.heatStackId, p.stackName, p.mode.name().toLowerCase(), p.status.name(),
                p.statusReason, p.reservationParameter, p.reservationId, p.createdAt, p.updatedAt);
    }
}
