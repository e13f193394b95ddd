package io.leaseflow.launcher.launch;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.launcher.heat.HeatCallException;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.openstack.KeystoneSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Launches every plan waiting for a lease: claims it ({@code INIT_COMPLETE -> LAUNCHING}, so a duplicate start finds
 * nothing to claim), PATCHes the stack with the reservation's id through the user's trust, and hands it to the
 * progress poller ({@code IN_PROGRESS}) or fails it with Heat's reason.
 */
@ApplicationScoped
public class StackLauncher {
    static final String HOST_RESERVATION = "physical:host";
    private static final Logger LOG = Logger.getLogger(StackLauncher.class);
    private final PlanTransitions transitions;
    private final KeystoneSession keystone;
    private final HeatStacks heat;

    public StackLauncher(PlanTransitions transitions, KeystoneSession keystone, HeatStacks heat) {
        this.transitions = transitions;
        this.keystone = keystone;
        this.heat = heat;
    }

    public Uni<Void> launchAll(LeaseEvent event) {
        return Panache.withSession(() -> LaunchPlan.waitingFor(event.leaseId()))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(plan -> launch(plan, event))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> launch(LaunchPlan plan, LeaseEvent event) {
        return transitions.move(plan, PlanStatus.INIT_COMPLETE, PlanStatus.LAUNCHING, "lease started")
                .flatMap(claimed -> {
                    if (!claimed) {
                        LOG.debugf("plan=%s already claimed; duplicate start ignored", plan.id);
                        return Uni.createFrom().voidItem();
                    }
                    Optional<LeaseEvent.Reservation> reservation = event.singleReservation(HOST_RESERVATION);
                    if (reservation.isEmpty()) {
                        return transitions.move(plan, PlanStatus.LAUNCHING, PlanStatus.FAILED,
                                describeAmbiguity(event.reservations())).replaceWithVoid();
                    }
                    return patch(plan, reservation.get().id());
                });
    }

    private Uni<Void> patch(LaunchPlan plan, String reservationId) {
        return transitions.recordReservation(plan, reservationId)
                .flatMap(x -> keystone.trustToken(plan.trustId))
                .flatMap(token -> heat.setParameter(token, plan.stackName, plan.heatStackId,
                        plan.reservationParameter, reservationId))
                .flatMap(x -> transitions.move(plan, PlanStatus.LAUNCHING, PlanStatus.IN_PROGRESS,
                        plan.reservationParameter + "=" + reservationId))
                .onFailure().recoverWithUni(failure -> transitions.move(plan, PlanStatus.LAUNCHING,
                        PlanStatus.FAILED, reason(failure)))
                .replaceWithVoid();
    }

    private static String reason(Throwable failure) {
        if (failure instanceof HeatCallException heatFailure) {
            return heatFailure.getMessage();
        }
        return "launch failed: " + failure;
    }

    private static String describeAmbiguity(List<LeaseEvent.Reservation> reservations) {
        long hosts = reservations.stream().filter(r -> HOST_RESERVATION.equals(r.resourceType())).count();
        return "lease has " + hosts + " " + HOST_RESERVATION + " reservations; exactly one is needed";
    }
}
