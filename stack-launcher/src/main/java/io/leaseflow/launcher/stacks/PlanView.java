package io.leaseflow.launcher.stacks;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanTransition;

/**
 * What the API shows of a plan: never the trust id, the held body or any token (the hosts-exchange group's id, not its
 * join token).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanView(
        String id,
        @JsonProperty("lease_id") String leaseId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("heat_stack_id") String heatStackId,
        @JsonProperty("stack_name") String stackName,
        String mode,
        @JsonProperty("stack_status") String status,
        @JsonProperty("status_reason") String statusReason,
        @JsonProperty("reservation_parameter") String reservationParameter,
        @JsonProperty("reservation_id") String reservationId,
        @JsonProperty("on_end") String onEnd,
        @JsonProperty("exchange_group_id") String exchangeGroupId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        List<HistoryEntry> history) {

    /** One audit row. */
    public record HistoryEntry(String from, String to, String reason, Instant at) {
    }

    public static PlanView of(LaunchPlan p) {
        return of(p, null);
    }

    public static PlanView of(LaunchPlan p, List<PlanTransition> transitions) {
        return new PlanView(p.id, p.leaseId, p.projectId, p.heatStackId, p.stackName, p.mode.name().toLowerCase(),
                p.status.name(), p.statusReason, p.reservationParameter, p.reservationId, p.onEnd.json(),
                // The chosen group id is shown once hosts-exchange confirmed the group.
                p.exchangeUrl == null ? null : p.exchangeGroupId, p.createdAt, p.updatedAt,
                transitions == null ? null : transitions.stream()
                        .map(t -> new HistoryEntry(t.fromStatus == null ? null : t.fromStatus.name(), t.toStatus.name(),
                                t.reason, t.at))
                        .toList());
    }
}
