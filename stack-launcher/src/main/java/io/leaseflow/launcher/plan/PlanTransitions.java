package io.leaseflow.launcher.plan;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Moves plans between states, each move with its audit row in the same transaction, a log line and a counter. */
@ApplicationScoped
public class PlanTransitions {
    private static final Logger LOG = Logger.getLogger(PlanTransitions.class);
    private final MeterRegistry metrics;

    public PlanTransitions(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** True if this caller made the move; false if the plan was no longer in {@code from}. */
    public Uni<Boolean> move(LaunchPlan plan, PlanStatus from, PlanStatus to, String reason) {
        return Panache.withTransaction(() -> LaunchPlan.move(plan.id, from, to, reason)
                .flatMap(moved -> moved
                        ? PlanTransition.of(plan.id, from, to, reason).persist().replaceWith(true)
                        : Uni.createFrom().item(false)))
                .invoke(moved -> {
                    if (moved) {
                        metrics.counter("leaseflow_launcher_plan_transitions_total", "to", to.name()).increment();
                        LOG.infof("plan=%s lease=%s stack=%s %s -> %s%s", plan.id, plan.leaseId, plan.heatStackId,
                                from, to, reason == null ? "" : " (" + reason + ")");
                    }
                });
    }

    public Uni<Void> recordReservation(LaunchPlan plan, String reservationId) {
        return Panache.withTransaction(() -> LaunchPlan.update("reservationId = ?1 where id = ?2", reservationId,
                plan.id)).replaceWithVoid();
    }
}
