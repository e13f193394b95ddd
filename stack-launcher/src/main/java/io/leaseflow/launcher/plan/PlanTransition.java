package io.leaseflow.launcher.plan;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.leaseflow.launcher.trace.LaunchSpans;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The audit trail: one row per status change of a plan. */
@Entity
@Table(name = "plan_transition")
public class PlanTransition extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "plan_id", nullable = false)
    public String planId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public PlanStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    public PlanStatus toStatus;

    public String reason;

    @Column(name = "at", nullable = false)
    public Instant at;

    /** The trace the move happened in (the lease event's, for a launch), if any. */
    @Column(name = "trace_id")
    public String traceId;

    public static PlanTransition of(String planId, PlanStatus from, PlanStatus to, String reason) {
        return of(planId, from, to, reason, Instant.now());
    }

    /** At {@code at}: the same instant as the stack event the move writes, so the timeline lists the move first. */
    public static PlanTransition of(String planId, PlanStatus from, PlanStatus to, String reason, Instant at) {
        PlanTransition t = new PlanTransition();
        t.planId = planId;
        t.fromStatus = from;
        t.toStatus = to;
        t.reason = reason;
        t.at = at;
        t.traceId = LaunchSpans.traceId();
        return t;
    }
}
