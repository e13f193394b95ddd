package io.leaseflow.launcher.lease;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.launcher.exchange.ExchangeGroups;
import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.launch.StackLauncher;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.OnEnd;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.launcher.recovery.TrustJanitor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code lease.ended}: plans never launched become EXPIRED. {@code lease.ending}/{@code lease.ended}: plans that asked
 * for it ({@code on_end}) get their stack deleted, once (a conditional stamp guards against redelivery).
 * {@code lease.ended} also deletes the hosts-exchange group created at launch, if any, and forgets its join token.
 */
@ApplicationScoped
public class LeaseEndHandler {
    private static final Logger LOG = Logger.getLogger(LeaseEndHandler.class);
    private final PlanTransitions transitions;
    private final StackLauncher launcher;
    private final HeatStacks heat;
    private final TrustJanitor trusts;
    private final LauncherMetrics metrics;
    private final ExchangeGroups exchange;

    public LeaseEndHandler(PlanTransitions transitions, StackLauncher launcher, HeatStacks heat, TrustJanitor trusts,
            LauncherMetrics metrics, ExchangeGroups exchange) {
        this.transitions = transitions;
        this.launcher = launcher;
        this.heat = heat;
        this.trusts = trusts;
        this.metrics = metrics;
        this.exchange = exchange;
    }

    public Uni<Void> ending(String leaseId) {
        return forEachPlan(leaseId, plan -> plan.onEnd == OnEnd.DELETE_ON_ENDING ? deleteStack(plan, "lease ending")
                : Uni.createFrom().voidItem());
    }

    public Uni<Void> ended(String leaseId) {
        return forEachPlan(leaseId, plan -> {
            Uni<Void> expire = plan.status != PlanStatus.INIT_COMPLETE ? Uni.createFrom().voidItem()
                    : transitions.move(plan, PlanStatus.INIT_COMPLETE, PlanStatus.EXPIRED, "lease ended before launch")
                            .invoke(moved -> {
                                if (moved) {
                                    metrics.launch(plan.mode, "expired");
                                }
                            }).replaceWithVoid();
            return expire.flatMap(x -> exchange.deleteGroup(plan))
                    .flatMap(x -> plan.onEnd != OnEnd.NONE ? deleteStack(plan, "lease ended")
                            : trusts.releaseIfDone(plan));
        });
    }

    private Uni<Void> forEachPlan(String leaseId, java.util.function.Function<LaunchPlan, Uni<Void>> action) {
        return Panache.withSession(() -> LaunchPlan.ofLease(leaseId))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(plan -> action.apply(plan))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> deleteStack(LaunchPlan plan, String why) {
        if (plan.heatStackId == null || plan.endActionAt != null || plan.status == PlanStatus.CANCELLED
                || plan.trustId == null) {
            return trusts.releaseIfDone(plan);
        }
        plan.endActionAt = Instant.now();
        return Panache.withTransaction(() -> LaunchPlan.update("endActionAt = ?1 where id = ?2 and endActionAt is null",
                plan.endActionAt, plan.id))
                .flatMap(rows -> rows != 1 ? Uni.createFrom().voidItem()
                        : launcher.trustTokenFor(plan)
                                .flatMap(token -> heat.delete(HeatCallSubject.of(plan), token, plan.stackName, plan.heatStackId))
                                .invoke(() -> LOG.infof("plan=%s lease=%s stack=%s deleted (%s, on_end=%s)", plan.id,
                                        plan.leaseId, plan.heatStackId, why, plan.onEnd.json()))
                                .onFailure().invoke(f -> LOG.warnf("plan=%s stack=%s end-of-lease delete failed: %s",
                                        plan.id, plan.heatStackId, f.toString()))
                                .onFailure().recoverWithNull()
                                .flatMap(x -> trusts.releaseIfDone(plan)));
    }
}
