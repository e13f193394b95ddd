package io.leaseflow.launcher.progress;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.launcher.heat.HeatStacks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Follows launched stacks to {@code *_COMPLETE} or {@code *_FAILED}. A GET right after Heat's 202 may still show the
 * previous COMPLETE, so COMPLETE counts only once the stack carries the new reservation id.
 */
@ApplicationScoped
public class LaunchProgressPoller {
    private static final Logger LOG = Logger.getLogger(LaunchProgressPoller.class);
    private final PlanTransitions transitions;
    private final KeystoneSession keystone;
    private final HeatStacks heat;

    public LaunchProgressPoller(PlanTransitions transitions, KeystoneSession keystone, HeatStacks heat) {
        this.transitions = transitions;
        this.keystone = keystone;
        this.heat = heat;
    }

    @Scheduled(every = "${leaseflow.launcher.progress-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return Panache.withSession(() -> LaunchPlan.inStatus(PlanStatus.IN_PROGRESS))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(this::check)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> check(LaunchPlan plan) {
        return keystone.trustToken(plan.trustId)
                .flatMap(token -> heat.show(token, plan.stackName, plan.heatStackId))
                .flatMap(stack -> settle(plan, stack))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("plan=%s stack=%s status check failed: %s", plan.id, plan.heatStackId, failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> settle(LaunchPlan plan, JsonNode stack) {
        String status = stack.path("stack_status").asText("");
        String reason = stack.path("stack_status_reason").asText(null);
        boolean carriesReservation = plan.reservationId != null
                && plan.reservationId.equals(stack.path("parameters").path(plan.reservationParameter).asText(null));
        if (status.endsWith("_FAILED")) {
            return transitions.move(plan, PlanStatus.IN_PROGRESS, PlanStatus.FAILED, status + ": " + reason)
                    .replaceWithVoid();
        }
        if (status.endsWith("_COMPLETE") && carriesReservation) {
            return transitions.move(plan, PlanStatus.IN_PROGRESS, PlanStatus.COMPLETE, status).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
