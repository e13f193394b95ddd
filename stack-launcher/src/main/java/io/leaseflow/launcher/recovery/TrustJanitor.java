package io.leaseflow.launcher.recovery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.OnEnd;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.openstack.KeystoneSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Deletes a plan's trust once nothing more will be done for it: the plan is final and no end-of-lease action is
 * still due. Retried by the recovery loop until Keystone confirms. (Heat may accept a token it already validated for
 * up to 300 s more: keystonemiddleware's cache.)
 */
@ApplicationScoped
public class TrustJanitor {
    private static final Logger LOG = Logger.getLogger(TrustJanitor.class);
    private final KeystoneSession keystone;
    private final PlanTransitions transitions;

    public TrustJanitor(KeystoneSession keystone, PlanTransitions transitions) {
        this.keystone = keystone;
        this.transitions = transitions;
    }

    public static boolean done(LaunchPlan plan) {
        return plan.isFinal() && (plan.onEnd == OnEnd.NONE || plan.endActionAt != null
                || plan.status == PlanStatus.CANCELLED || plan.heatStackId == null);
    }

    public Uni<Void> releaseIfDone(LaunchPlan plan) {
        if (plan.trustId == null || !done(plan)) {
            return Uni.createFrom().voidItem();
        }
        String trustId = plan.trustId;
        return keystone.deleteTrust(trustId)
                .flatMap(deleted -> {
                    plan.trustId = null;
                    return transitions.update(plan, "trustId");
                })
                .invoke(() -> LOG.infof("plan=%s lease=%s trust deleted (plan %s)", plan.id, plan.leaseId, plan.status))
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("plan=%s trust not deleted yet (will retry): %s", plan.id, f.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Every final plan still holding a trust. */
    public Uni<Void> sweep() {
        return Panache.withSession(() -> LaunchPlan.<LaunchPlan>list("trustId is not null and status in ?1",
                List.of(PlanStatus.COMPLETE, PlanStatus.FAILED, PlanStatus.CANCELLED, PlanStatus.EXPIRED)))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(this::releaseIfDone)
                .collect().asList().replaceWithVoid();
    }
}
