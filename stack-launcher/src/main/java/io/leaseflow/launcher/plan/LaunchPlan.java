package io.leaseflow.launcher.plan;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A stack bound to a lease, launched with the reservation's id when the lease starts. */
@Entity
@Table(name = "launch_plan")
public class LaunchPlan extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "lease_id", nullable = false)
    public String leaseId;

    @Column(name = "project_id", nullable = false)
    public String projectId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "heat_stack_id")
    public String heatStackId;

    @Column(name = "stack_name", nullable = false)
    public String stackName;

    /** Never shown or logged; null once deleted. */
    @Column(name = "trust_id")
    public String trustId;

    @Column(name = "reservation_parameter", nullable = false)
    public String reservationParameter;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PlanMode mode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PlanStatus status;

    @Column(name = "reservation_id")
    public String reservationId;

    @Column(name = "status_reason")
    public String statusReason;

    /** Held mode: Heat's create body, sent at lease start. */
    @Column(name = "held_body")
    public String heldBody;

    @Column(name = "reservation_type", nullable = false)
    public String reservationType;

    @Column(name = "selected_reservation")
    public String selectedReservation;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_end", nullable = false)
    public OnEnd onEnd = OnEnd.NONE;

    @Column(name = "end_action_at")
    public Instant endActionAt;

    @Column(name = "timeout_mins")
    public Integer timeoutMins;

    @Column(name = "launch_deadline")
    public Instant launchDeadline;

    @Column(name = "launched_at")
    public Instant launchedAt;

    /** The lease's dates in Blazar (null when not read): the watchdog expects a start by {@code leaseStart}. */
    @Column(name = "lease_start")
    public Instant leaseStart;

    @Column(name = "lease_end")
    public Instant leaseEnd;

    /** When {@code io.leaseflow.lease.start-overdue} went out for this plan's lease; null before. */
    @Column(name = "start_overdue_at")
    public Instant startOverdueAt;

    /** hosts-exchange group size; null when the template does not declare exchange_url and exchange_token. */
    @Column(name = "exchange_size")
    public Integer exchangeSize;

    /** Comma-separated output names of the group. */
    @Column(name = "exchange_outputs")
    public String exchangeOutputs;

    @Column(name = "exchange_timeout_s")
    public Integer exchangeTimeoutSeconds;

    @Column(name = "exchange_on_timeout")
    public String exchangeOnTimeout;

    /** The group created at launch (stored before the Heat call: a retry or recovery reuses it). */
    @Column(name = "exchange_group_id")
    public String exchangeGroupId;

    /** What the instances get as {@code exchange_url}: the group's URL. */
    @Column(name = "exchange_url")
    public String exchangeUrl;

    /** The group's join token: never shown or logged; null once the group is deleted. */
    @Column(name = "exchange_token")
    public String exchangeToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<List<LaunchPlan>> waitingFor(String leaseId) {
        return list("leaseId = ?1 and status = ?2", leaseId, PlanStatus.INIT_COMPLETE);
    }

    public static Uni<List<LaunchPlan>> inStatus(PlanStatus status) {
        return list("status", status);
    }

    public static Uni<List<LaunchPlan>> ofLease(String leaseId) {
        return list("leaseId", leaseId);
    }

    /** The Heat tag that marks a stack as this plan's: how recovery finds a held stack created before a crash. */
    public String heatTag() {
        return "leaseflow-plan-" + id;
    }

    /** The template declares exchange_url and exchange_token: a hosts-exchange group goes with the launch. */
    public boolean hasExchange() {
        return exchangeSize != null;
    }

    public boolean isFinal() {
        return status == PlanStatus.COMPLETE || status == PlanStatus.FAILED || status == PlanStatus.CANCELLED
                || status == PlanStatus.EXPIRED;
    }

    /**
     * Moves the plan only if it is still in {@code from}: of two deliveries of the same start, one moves it and
     * the other finds nothing to move.
     */
    public static Uni<Boolean> move(String id, PlanStatus from, PlanStatus to, String reason) {
        return update("status = ?1, statusReason = ?2, updatedAt = ?3 where id = ?4 and status = ?5",
                to, reason, Instant.now(), id, from).map(rows -> rows == 1);
    }
}
