package io.leaseflow.launcher.progress;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.launcher.concurrency.IsolatedContexts;
import io.leaseflow.launcher.config.LauncherConfig;
import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.launch.StackLauncher;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanMode;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.launcher.recovery.TrustJanitor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Follows launched stacks to {@code CREATE_COMPLETE}/{@code UPDATE_COMPLETE} or {@code *_FAILED}, or fails the plan at
 * its deadline. A GET right after Heat's 202 may still show the previous COMPLETE, so COMPLETE counts only once the
 * stack carries the new reservation id and the action is the launch's own (UPDATE for a PATCH). Stacks are checked
 * concurrently ({@code leaseflow.launcher.progress-concurrency}), each on its own context.
 */
@ApplicationScoped
public class LaunchProgressPoller {
    private static final Logger LOG = Logger.getLogger(LaunchProgressPoller.class);
    private final PlanTransitions transitions;
    private final StackLauncher launcher;
    private final HeatStacks heat;
    private final LauncherMetrics metrics;
    private final TrustJanitor trusts;
    private final Vertx vertx;
    private final LauncherConfig config;

    public LaunchProgressPoller(PlanTransitions transitions, StackLauncher launcher, HeatStacks heat,
            LauncherMetrics metrics, TrustJanitor trusts, Vertx vertx, LauncherConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.transitions = transitions;
        this.launcher = launcher;
        this.heat = heat;
        this.metrics = metrics;
        this.trusts = trusts;
    }

    @Scheduled(every = "${leaseflow.launcher.progress-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return Panache.withSession(() -> LaunchPlan.inStatus(PlanStatus.IN_PROGRESS))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUni(plan -> IsolatedContexts.run(vertx, () -> check(plan)))
                .merge(config.progressConcurrency())
                .collect().asList().replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("progress pass failed (will retry): %s", f.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> check(LaunchPlan plan) {
        if (plan.launchDeadline != null && Instant.now().isAfter(plan.launchDeadline)) {
            return finish(plan, PlanStatus.FAILED, "timed out: the stack did not complete by " + plan.launchDeadline,
                    "timed_out");
        }
        return launcher.trustTokenFor(plan)
                .flatMap(token -> heat.show(HeatCallSubject.of(plan), token, plan.stackName, plan.heatStackId))
                .flatMap(stack -> settle(plan, stack))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("plan=%s stack=%s status check failed: %s", plan.id, plan.heatStackId, failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> settle(LaunchPlan plan, JsonNode stack) {
        String status = stack.path("stack_status").asText("");
        String reason = stack.path("stack_status_reason").asText("");
        boolean carriesReservation = plan.reservationId != null
                && plan.reservationId.equals(stack.path("parameters").path(plan.reservationParameter).asText(null));
        boolean ownAction = status.startsWith("UPDATE_") || (plan.mode == PlanMode.HELD && status.startsWith("CREATE_"));
        if (status.endsWith("_FAILED") && carriesReservation) {
            return finish(plan, PlanStatus.FAILED, status + ": " + reason, "failed");
        }
        if (status.endsWith("_COMPLETE") && ownAction && carriesReservation) {
            return finish(plan, PlanStatus.COMPLETE, status, "completed");
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> finish(LaunchPlan plan, PlanStatus to, String reason, String outcome) {
        return transitions.move(plan, PlanStatus.IN_PROGRESS, to, reason)
                .flatMap(moved -> {
                    if (!moved) {
                        return Uni.createFrom().voidItem();
                    }
                    metrics.launch(plan.mode, outcome);
                    return trusts.releaseIfDone(plan);
                });
    }
}
