package io.leaseflow.launcher.recovery;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.launcher.config.LauncherConfig;
import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.launch.LaunchesInFlight;
import io.leaseflow.launcher.launch.StackLauncher;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.openstack.KeystoneToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Crash recovery: a plan left in LAUNCHING (the process died between claiming it and recording Heat's answer) is
 * reconciled against Heat before any new call. Dormant and bound stacks: is the reservation parameter already set?
 * Held stacks: does a stack with the plan's tag exist? If so the launch happened and the plan moves on to IN_PROGRESS;
 * otherwise the Heat call is made now. Nothing launches twice, nothing is lost. Runs at startup and periodically; a
 * plan is touched only after {@code leaseflow.launcher.recovery.grace} and never while this process launches it.
 */
@ApplicationScoped
public class LaunchRecovery {
    private static final Logger LOG = Logger.getLogger(LaunchRecovery.class);
    private final StackLauncher launcher;
    private final HeatStacks heat;
    private final LaunchesInFlight inFlight;
    private final TrustJanitor trusts;
    private final LauncherConfig config;

    public LaunchRecovery(StackLauncher launcher, HeatStacks heat, LaunchesInFlight inFlight, TrustJanitor trusts,
            LauncherConfig config) {
        this.launcher = launcher;
        this.heat = heat;
        this.inFlight = inFlight;
        this.trusts = trusts;
        this.config = config;
    }

    void onStart(@jakarta.enterprise.event.Observes StartupEvent start) {
        LOG.info("reconciling LAUNCHING plans against Heat at startup (then every "
                + config.recovery().interval() + ")");
    }

    @Scheduled(every = "${leaseflow.launcher.recovery.interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> periodically() {
        return reconcileAll().flatMap(x -> trusts.sweep())
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("recovery pass failed (will retry): %s", f.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** One pass over the LAUNCHING plans old enough to be orphans. */
    public Uni<Void> reconcileAll() {
        Instant before = Instant.now().minus(config.recovery().grace());
        return Panache.withSession(() -> LaunchPlan.<LaunchPlan>list("status = ?1 and updatedAt <= ?2",
                PlanStatus.LAUNCHING, before))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(this::reconcile)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> reconcile(LaunchPlan plan) {
        if (!inFlight.begin(plan.id)) {
            return Uni.createFrom().voidItem();
        }
        return launcher.trustTokenFor(plan)
                .flatMap(token -> alreadyLaunched(plan, token))
                .flatMap(stackId -> {
                    if (stackId != null) {
                        LOG.infof("plan=%s lease=%s stack=%s recovered: Heat already has the launch; not calling again",
                                plan.id, plan.leaseId, stackId);
                        return launcher.accepted(plan, stackId, "recovered: Heat already has "
                                + plan.reservationParameter + "=" + plan.reservationId);
                    }
                    LOG.infof("plan=%s lease=%s recovered: Heat has no launch yet; launching now", plan.id, plan.leaseId);
                    return launcher.callHeat(plan, 0);
                })
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("plan=%s reconcile failed (will retry): %s", plan.id, f.toString());
                    return Uni.createFrom().voidItem();
                })
                .onTermination().invoke(() -> inFlight.end(plan.id));
    }

    /** The Heat stack id if the launch already reached Heat, else null. */
    private Uni<String> alreadyLaunched(LaunchPlan plan, KeystoneToken token) {
        if (plan.heatStackId == null) {
            return heat.findByTag(HeatCallSubject.of(plan), token, plan.heatTag()).map(found -> found.map(s -> {
                plan.stackName = s.path("stack_name").asText(plan.stackName);
                return s.path("id").asText();
            }).orElse(null));
        }
        return heat.show(HeatCallSubject.of(plan), token, plan.stackName, plan.heatStackId).map(stack -> {
            JsonNode value = stack.path("parameters").path(plan.reservationParameter);
            return plan.reservationId != null && plan.reservationId.equals(value.asText(null)) ? plan.heatStackId
                    : null;
        });
    }
}
