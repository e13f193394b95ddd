package io.leaseflow.launcher.stacks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.launcher.blazar.BlazarLeases;
import io.leaseflow.launcher.config.LauncherConfig;
import io.leaseflow.launcher.exchange.ExchangeSpec;
import io.leaseflow.launcher.heat.HeatCallException;
import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.OnEnd;
import io.leaseflow.launcher.plan.PlanMode;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.launcher.plan.ReservationChoice;
import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.launcher.template.DormantTemplate;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.KeystoneToken;
import io.smallrye.mutiny.Uni;

/**
 * Initialize: checks the lease's reservation, has Heat validate the template (it must declare the reservation
 * parameter: Heat's PATCH silently drops undeclared ones), checks the hosts-exchange group of a template that declares
 * {@code exchange_url} and {@code exchange_token}, takes an impersonating trust from the user and stores the plan as
 * INIT_COMPLETE. Dormant stacks are created in Heat at once, with the user's token.
 */
@ApplicationScoped
public class PlanInitializer {
    static final String DEFAULT_PARAMETER = "reservation_id";
    static final String DEFAULT_RESERVATION_TYPE = "physical:host";
    private static final Logger LOG = Logger.getLogger(PlanInitializer.class);
    private final KeystoneSession keystone;
    private final HeatStacks heat;
    private final BlazarLeases blazar;
    private final PlanTransitions transitions;
    private final LauncherConfig config;

    public PlanInitializer(KeystoneSession keystone, HeatStacks heat, BlazarLeases blazar, PlanTransitions transitions,
            LauncherConfig config) {
        this.keystone = keystone;
        this.heat = heat;
        this.blazar = blazar;
        this.transitions = transitions;
        this.config = config;
    }

    public Uni<LaunchPlan> initialize(KeystoneToken user, InitializeRequest request) {
        LaunchPlan plan = draft(user, request);
        return checkLease(user, plan).flatMap(ok -> switch (plan.mode) {
            case BOUND -> bound(user, request, plan);
            case DORMANT -> dormant(user, request, plan);
            case HELD -> held(user, request, plan);
        });
    }

    private Uni<LaunchPlan> bound(KeystoneToken user, InitializeRequest request, LaunchPlan plan) {
        plan.heatStackId = request.heatStackId();
        return heat.nameOf(HeatCallSubject.of(plan), user, request.heatStackId())
                .onFailure(HeatStacks.PermanentHeatFailure.class).transform(f -> new ProblemException(422,
                        "stack-not-found", "Stack not found",
                        "stack " + request.heatStackId() + " is not visible to you in Heat: " + f.getMessage()))
                .flatMap(name -> heat.show(HeatCallSubject.of(plan), user, name, request.heatStackId()))
                .onFailure(HeatCallException.class).transform(PlanInitializer::heatProblem)
                .flatMap(stack -> {
                    plan.stackName = stack.path("stack_name").asText();
                    if (!"INIT_COMPLETE".equals(stack.path("stack_status").asText())) {
                        throw new ProblemException(422, "stack-not-initialized", "Stack not initialized",
                                "a bound stack must be INIT_COMPLETE (Chameleon's Heat); it is "
                                        + stack.path("stack_status").asText() + ". Use mode dormant on upstream Heat.");
                    }
                    JsonNode parameters = stack.path("parameters");
                    if (!parameters.has(plan.reservationParameter)) {
                        throw undeclared(plan.reservationParameter);
                    }
                    // Heat shows every declared parameter with its value: the stack's exchange_size is its size.
                    exchange(request, plan, parameters, parameters.path(ExchangeSpec.SIZE_PARAMETER));
                    return trustAndStore(user, plan, false, "bound to Heat stack " + plan.heatStackId);
                });
    }

    private Uni<LaunchPlan> dormant(KeystoneToken user, InitializeRequest request, LaunchPlan plan) {
        requireTemplate(request);
        ObjectNode rewritten;
        try {
            rewritten = DormantTemplate.rewrite(request.template(), plan.reservationParameter);
        } catch (DormantTemplate.NotRewritable e) {
            // Heat's verdict first when the parameter is simply missing: same answer as the other modes.
            return validate(user, request, plan).flatMap(ok -> Uni.createFrom().<LaunchPlan>failure(
                    new ProblemException(422, "template-not-rewritable", "Template cannot be made dormant",
                            e.getMessage())));
        }
        return validate(user, request, plan)
                .flatMap(ok -> trust(user, false))
                .flatMap(trustId -> {
                    plan.trustId = trustId;
                    ObjectNode body = createBody(request, plan);
                    body.set("template", rewritten);
                    ((ObjectNode) body.get("parameters")).put(plan.reservationParameter, "");
                    return heat.create(HeatCallSubject.of(plan), user, body)
                            .onFailure(HeatCallException.class).transform(PlanInitializer::heatProblem)
                            .onFailure().call(f -> forgetTrust(plan));
                })
                .flatMap(stackId -> {
                    plan.heatStackId = stackId;
                    return transitions.create(plan, "dormant stack created in Heat, nothing allocated");
                });
    }

    private Uni<LaunchPlan> held(KeystoneToken user, InitializeRequest request, LaunchPlan plan) {
        requireTemplate(request);
        ObjectNode body = createBody(request, plan);
        body.set("template", request.template());
        plan.heldBody = body.toString();
        return validate(user, request, plan)
                .flatMap(ok -> trustAndStore(user, plan, true, "held by leaseflow until the lease starts"));
    }

    private Uni<LaunchPlan> trustAndStore(KeystoneToken user, LaunchPlan plan, boolean redelegation, String reason) {
        return trust(user, redelegation).flatMap(trustId -> {
            plan.trustId = trustId;
            return transitions.create(plan, reason).onFailure().call(f -> forgetTrust(plan));
        });
    }

    /** Heat's {@code POST /validate}; the template must declare the reservation parameter. */
    private Uni<Void> validate(KeystoneToken user, InitializeRequest request, LaunchPlan plan) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("template", request.template());
        if (request.files() != null) {
            body.set("files", request.files());
        }
        if (request.environment() != null) {
            body.set("environment", request.environment());
        }
        return heat.validate(HeatCallSubject.of(plan), user, body)
                .onFailure(HeatCallException.class).transform(f -> ((HeatCallException) f).permanent()
                        ? new ProblemException(422, "template-invalid", "Template refused by Heat", f.getMessage())
                        : heatProblem(f))
                .invoke(validation -> {
                    JsonNode declared = validation.path("Parameters");
                    if (!declared.has(plan.reservationParameter)) {
                        throw undeclared(plan.reservationParameter);
                    }
                    exchange(request, plan, declared, givenOrDefault(request, declared, ExchangeSpec.SIZE_PARAMETER));
                })
                .replaceWithVoid();
    }

    /**
     * A template declaring both exchange parameters gets a hosts-exchange group at launch: its spec is checked now,
     * before anything is created. An {@code exchange} field without them is a mistake worth a 422.
     */
    private static void exchange(InitializeRequest request, LaunchPlan plan, JsonNode declared, JsonNode size) {
        if (ExchangeSpec.declaredIn(declared)) {
            ExchangeSpec.of(request.exchange(), size).applyTo(plan);
        } else if (request.exchange() != null) {
            throw ExchangeSpec.undeclared();
        }
    }

    /**
     * A parameter's value as Heat will resolve it: the request's {@code parameters}, the environment's
     * {@code parameters} or {@code parameter_defaults}, else the template's default ({@code default} in Heat's sample,
     * {@code Default} in CFN-style answers); a missing node if none.
     */
    private static JsonNode givenOrDefault(InitializeRequest request, JsonNode declared, String name) {
        if (request.parameters() != null && request.parameters().has(name)) {
            return request.parameters().get(name);
        }
        JsonNode environment = request.environment();
        if (environment != null && environment.isObject()) {
            for (String section : List.of("parameters", "parameter_defaults")) {
                if (environment.path(section).has(name)) {
                    return environment.path(section).get(name);
                }
            }
        }
        JsonNode spec = declared.path(name);
        return spec.has("default") ? spec.get("default") : spec.path("Default");
    }

    /** Impersonating always: Heat refuses updates through a trust without it (§9.3). */
    private Uni<String> trust(KeystoneToken user, boolean redelegation) {
        return keystone.createTrust(user, redelegation)
                .onFailure(WebApplicationException.class).transform(f -> new ProblemException(422, "trust-refused",
                        "Trust refused", "Keystone refused the trust to leaseflow (HTTP "
                                + ((WebApplicationException) f).getResponse().getStatus() + ")"));
    }

    private Uni<Void> forgetTrust(LaunchPlan plan) {
        return plan.trustId == null ? Uni.createFrom().voidItem()
                : keystone.deleteTrust(plan.trustId).onFailure().invoke(f -> LOG.warnf(
                        "plan=%s unused trust not deleted: %s", plan.id, f.toString())).onFailure().recoverWithNull();
    }

    private Uni<Void> checkLease(KeystoneToken user, LaunchPlan plan) {
        if (!config.checkLease()) {
            return Uni.createFrom().voidItem();
        }
        return blazar.lease(user, plan.leaseId).invoke(lease -> {
            ReservationChoice choice = ReservationChoice.of(lease.reservations(), plan.selectedReservation,
                    plan.reservationType);
            // what the watchdog expects: a start observed by lease_start (+ grace)
            plan.leaseStart = lease.startDate();
            plan.leaseEnd = lease.endDate();
            if (!choice.found()) {
                throw new ProblemException(422, "reservation-ambiguous", "Reservation not determined",
                        choice.problem());
            }
        }).onFailure(f -> !(f instanceof ProblemException)).transform(f -> new ProblemException(503,
                "blazar-unavailable", "Blazar unavailable", "the lease could not be read now"))
                .replaceWithVoid();
    }

    private LaunchPlan draft(KeystoneToken user, InitializeRequest r) {
        if (r == null || blank(r.leaseId())) {
            throw invalid("lease_id is required");
        }
        LaunchPlan plan = new LaunchPlan();
        plan.id = UUID.randomUUID().toString();
        plan.leaseId = r.leaseId();
        plan.projectId = user.projectId();
        plan.userId = user.userId();
        plan.mode = mode(r.mode());
        plan.reservationParameter = blank(r.reservationParameter()) ? DEFAULT_PARAMETER : r.reservationParameter();
        plan.reservationType = r.reservation() == null || blank(r.reservation().resourceType())
                ? DEFAULT_RESERVATION_TYPE : r.reservation().resourceType();
        plan.selectedReservation = r.reservation() == null || blank(r.reservation().id()) ? null : r.reservation().id();
        plan.onEnd = r.onEnd() == null ? OnEnd.NONE : OnEnd.fromJson(r.onEnd())
                .orElseThrow(() -> invalid("on_end must be none, delete or delete_on_ending"));
        plan.timeoutMins = r.timeoutMins();
        plan.status = PlanStatus.INIT_COMPLETE;
        plan.createdAt = Instant.now();
        plan.updatedAt = plan.createdAt;
        if (plan.mode == PlanMode.BOUND) {
            if (blank(r.heatStackId())) {
                throw invalid("heat_stack_id is required for mode bound");
            }
        } else {
            if (blank(r.stackName())) {
                throw invalid("stack_name is required");
            }
            if (!blank(r.heatStackId())) {
                throw invalid("heat_stack_id is only for mode bound");
            }
            plan.stackName = r.stackName();
        }
        return plan;
    }

    private ObjectNode createBody(InitializeRequest r, LaunchPlan plan) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("stack_name", r.stackName());
        body.set("parameters", r.parameters() == null ? JsonNodeFactory.instance.objectNode() : r.parameters().deepCopy());
        if (r.environment() != null) {
            body.set("environment", r.environment());
        }
        if (r.files() != null) {
            body.set("files", r.files());
        }
        if (r.timeoutMins() != null) {
            body.put("timeout_mins", r.timeoutMins());
        }
        if (r.disableRollback() != null) {
            body.put("disable_rollback", r.disableRollback());
        }
        List<String> tags = new ArrayList<>();
        if (r.tags() != null && r.tags().isArray()) {
            r.tags().forEach(t -> tags.add(t.asText()));
        } else if (r.tags() != null && r.tags().isTextual()) {
            for (String t : r.tags().asText().split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.trim());
                }
            }
        }
        tags.add(plan.heatTag());
        body.put("tags", String.join(",", tags));
        return body;
    }

    private static void requireTemplate(InitializeRequest r) {
        if (r.template() == null || r.template().isNull()) {
            throw invalid("template is required");
        }
    }

    private static PlanMode mode(String mode) {
        if (mode == null) {
            return PlanMode.DORMANT;
        }
        return switch (mode) {
            case "dormant" -> PlanMode.DORMANT;
            case "held" -> PlanMode.HELD;
            case "bound" -> PlanMode.BOUND;
            default -> throw invalid("mode must be dormant, held or bound");
        };
    }

    static ProblemException heatProblem(Throwable f) {
        if (f instanceof ProblemException p) {
            return p;
        }
        HeatCallException h = (HeatCallException) f;
        if (h.status() == 409 && String.valueOf(h.getMessage()).contains("StackExists")) {
            // The user's own stack name clashes: a conflict to fix, not an outage (Heat's 409 is otherwise
            // "action in progress", which is transient).
            return new ProblemException(409, "stack-exists", "Stack name taken", h.getMessage());
        }
        return h.permanent() ? new ProblemException(422, "heat-refused", "Heat refused the request", h.getMessage())
                : new ProblemException(502, "heat-unavailable", "Heat unavailable", h.getMessage());
    }

    private static ProblemException undeclared(String parameter) {
        return new ProblemException(422, "reservation-parameter-undeclared", "Reservation parameter not declared",
                "the template does not declare the parameter '" + parameter
                        + "'; Heat would silently drop it at launch");
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(422, "invalid-request", "Invalid request", detail);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
