package io.leaseflow.launcher.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.launcher.config.LauncherConfig;
import io.leaseflow.launcher.exchange.ExchangeGroups;
import io.leaseflow.launcher.heat.HeatCallException;
import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.launcher.plan.ReservationChoice;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.KeystoneToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Launches plans: claims one ({@code INIT_COMPLETE -> LAUNCHING}, conditional, so a duplicate start finds nothing to
 * claim), gets a trust-scoped token (and the hosts-exchange group, for templates that declare exchange_url and
 * exchange_token) and calls Heat — PATCH of the reservation parameter (with the group's URL and token) for dormant and
 * bound stacks (and held ones already created), POST of the held body otherwise — then hands it to the progress poller
 * ({@code IN_PROGRESS}) or fails it with Heat's reason.
 */
@ApplicationScoped
public class StackLauncher {
    private static final Logger LOG = Logger.getLogger(StackLauncher.class);
    private final PlanTransitions transitions;
    private final KeystoneSession keystone;
    private final HeatStacks heat;
    private final LauncherMetrics metrics;
    private final LaunchesInFlight inFlight;
    private final LauncherConfig config;
    private final ExchangeGroups exchange;

    public StackLauncher(PlanTransitions transitions, KeystoneSession keystone, HeatStacks heat,
            LauncherMetrics metrics, LaunchesInFlight inFlight, LauncherConfig config, ExchangeGroups exchange) {
        this.transitions = transitions;
        this.keystone = keystone;
        this.heat = heat;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.config = config;
        this.exchange = exchange;
    }

    /** {@code lease.started}: every plan of the lease still waiting. */
    public Uni<Void> launchAll(LeaseEvent event, long receivedNanos) {
        return Panache.withSession(() -> LaunchPlan.waitingFor(event.leaseId()))
                .onItem().transformToMulti(plans -> Multi.createFrom().iterable(plans))
                .onItem().transformToUniAndConcatenate(plan -> launchOnStart(plan, event, receivedNanos))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> launchOnStart(LaunchPlan plan, LeaseEvent event, long receivedNanos) {
        ReservationChoice choice = ReservationChoice.of(event.reservations(), plan.selectedReservation,
                plan.reservationType);
        if (!choice.found()) {
            return transitions.move(plan, PlanStatus.INIT_COMPLETE, PlanStatus.FAILED, choice.problem())
                    .invoke(moved -> {
                        if (moved) {
                            metrics.launch(plan.mode, "failed");
                        }
                    }).replaceWithVoid();
        }
        return claimAndLaunch(plan, PlanStatus.INIT_COMPLETE, choice.reservationId(), "lease started",
                receivedNanos).replaceWithVoid();
    }

    /**
     * Claims the plan from {@code from} and launches it; false if another delivery or replica claimed it first.
     * {@code receivedNanos} (from {@link System#nanoTime()}) is where the latency histogram starts; 0 for none.
     */
    public Uni<Boolean> claimAndLaunch(LaunchPlan plan, PlanStatus from, String reservationId, String reason,
            long receivedNanos) {
        if (!inFlight.begin(plan.id)) {
            return Uni.createFrom().item(false);
        }
        LaunchSpans.ids(plan.leaseId, reservationId, plan.id, plan.heatStackId);
        plan.reservationId = reservationId;
        plan.launchDeadline = Instant.now().plus(plan.timeoutMins == null ? config.planTimeout()
                : Duration.ofMinutes(plan.timeoutMins));
        return transitions.move(plan, from, PlanStatus.LAUNCHING,
                reason + ": " + plan.reservationParameter + "=" + reservationId, "reservationId", "launchDeadline")
                .flatMap(claimed -> {
                    if (!claimed) {
                        LOG.debugf("plan=%s already claimed; duplicate ignored", plan.id);
                        return Uni.createFrom().item(false);
                    }
                    return callHeat(plan, receivedNanos).replaceWith(true);
                })
                .onTermination().invoke(() -> inFlight.end(plan.id));
    }

    /**
     * The Heat half of a launch, for a plan already LAUNCHING (also used by recovery). A plan whose template declares
     * the exchange parameters gets its hosts-exchange group first (stored before Heat is called, reused on a retry);
     * no group, no Heat call.
     */
    public Uni<Void> callHeat(LaunchPlan plan, long receivedNanos) {
        return trustTokenFor(plan)
                .call(token -> exchange.ensureGroup(plan))
                .flatMap(token -> plan.heatStackId != null
                        ? heat.setParameters(HeatCallSubject.of(plan), token, plan.stackName, plan.heatStackId,
                                launchParameters(plan)).replaceWith(plan.heatStackId)
                        : heat.create(HeatCallSubject.of(plan), token, heldBody(plan)))
                .flatMap(stackId -> {
                    if (receivedNanos != 0) {
                        metrics.heatAccepted(plan.mode, receivedNanos);
                    }
                    metrics.launch(plan.mode, "accepted");
                    return accepted(plan, stackId, (plan.heatStackId == null ? "Heat created stack " + stackId
                            : "Heat accepted the PATCH of " + String.join(", ", launchParameters(plan).keySet())));
                })
                .onFailure().recoverWithUni(failure -> {
                    metrics.launch(plan.mode, "failed");
                    return transitions.move(plan, PlanStatus.LAUNCHING, PlanStatus.FAILED, reason(failure))
                            .replaceWithVoid();
                });
    }

    /** LAUNCHING -> IN_PROGRESS, recording the stack a held launch created. */
    public Uni<Void> accepted(LaunchPlan plan, String stackId, String reason) {
        plan.heatStackId = stackId;
        plan.launchedAt = Instant.now();
        return transitions.move(plan, PlanStatus.LAUNCHING, PlanStatus.IN_PROGRESS, reason, "heatStackId",
                "stackName", "launchedAt").replaceWithVoid();
    }

    /** A token of the leaseflow user scoped to the plan's trust; Keystone hiccups are retried briefly. */
    public Uni<KeystoneToken> trustTokenFor(LaunchPlan plan) {
        if (plan.trustId == null) {
            return Uni.createFrom().failure(new IllegalStateException("the plan has no trust left"));
        }
        return keystone.trustToken(plan.trustId)
                .onFailure(f -> !isClientError(f)).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withJitter(0.5).atMost(3)
                .onFailure().transform(f -> new KeystoneFailure("Keystone refused a token for the plan's trust ("
                        + (f instanceof jakarta.ws.rs.WebApplicationException w ? "HTTP " + w.getResponse().getStatus()
                                : f.getClass().getSimpleName()) + ")"));
    }

    /** The held create body, with the reservation id and the plan's tag (how recovery finds the stack). */
    static ObjectNode heldBody(LaunchPlan plan) {
        try {
            ObjectNode body = (ObjectNode) EventJson.mapper().readTree(plan.heldBody);
            JsonNode params = body.get("parameters");
            ObjectNode parameters = params != null && params.isObject() ? (ObjectNode) params : body.putObject("parameters");
            launchParameters(plan).forEach(parameters::put);
            String tags = body.path("tags").asText("");
            if (!List.of(tags.split(",")).contains(plan.heatTag())) {
                body.put("tags", tags.isBlank() ? plan.heatTag() : tags + "," + plan.heatTag());
            }
            return body;
        } catch (Exception e) {
            throw new IllegalStateException("held body unreadable", e);
        }
    }

    /** What the launch sets: the reservation parameter, and the hosts-exchange group's URL and token if any. */
    static Map<String, String> launchParameters(LaunchPlan plan) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(plan.reservationParameter, plan.reservationId);
        parameters.putAll(ExchangeGroups.parameters(plan));
        return parameters;
    }

    static String reason(Throwable failure) {
        if (failure instanceof HeatCallException || failure instanceof KeystoneFailure
                || failure instanceof ExchangeGroups.ExchangeFailure) {
            return failure.getMessage();
        }
        return "launch failed: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static boolean isClientError(Throwable f) {
        return f instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() / 100 == 4;
    }

    /** Keystone would not give a token for the trust (deleted, expired, or Keystone away). */
    public static class KeystoneFailure extends RuntimeException {
        KeystoneFailure(String message) {
            super(message);
        }
    }
}
