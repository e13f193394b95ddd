package io.leaseflow.launcher.binding;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanMode;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransition;
import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.KeystoneToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v1/bindings}: the user (by Keystone token) binds a stack of theirs to a lease; leaseflow takes a trust
 * from them, impersonating, so that it can update the stack as them when the lease starts.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class BindingResource {
    static final String DEFAULT_PARAMETER = "reservation_id";
    private final KeystoneSession keystone;
    private final HeatStacks heat;

    public BindingResource(KeystoneSession keystone, HeatStacks heat) {
        this.keystone = keystone;
        this.heat = heat;
    }

    @POST
    @Path("/bindings")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> bind(@HeaderParam("X-Auth-Token") String userToken, BindingRequest request) {
        validate(request);
        return authenticated(userToken)
                .flatMap(user -> heat.nameOf(user, request.heatStackId())
                        .onFailure(HeatStacks.PermanentHeatFailure.class).transform(f -> new ProblemException(422,
                                "stack-not-found", "Stack not found",
                                "stack " + request.heatStackId() + " is not visible to you in Heat: " + f.getMessage()))
                        .flatMap(stackName -> keystone.createTrust(user, false)
                                .flatMap(trustId -> store(request, user, stackName, trustId))))
                .map(plan -> Response.created(URI.create("/v1/plans/" + plan.id)).entity(PlanView.of(plan)).build());
    }

    @GET
    @Path("/plans/{id}")
    @WithSession
    public Uni<PlanView> plan(@PathParam("id") String id) {
        return LaunchPlan.<LaunchPlan>findById(id).map(plan -> {
            if (plan == null) {
                throw new ProblemException(404, "plan-not-found", "Plan not found", "no plan " + id);
            }
            return PlanView.of(plan);
        });
    }

    @GET
    @Path("/plans")
    @WithSession
    public Uni<List<PlanView>> plans(@QueryParam("lease_id") String leaseId) {
        Uni<List<LaunchPlan>> plans = leaseId == null ? LaunchPlan.listAll() : LaunchPlan.list("leaseId", leaseId);
        return plans.map(list -> list.stream().map(PlanView::of).toList());
    }

    private Uni<KeystoneToken> authenticated(String userToken) {
        if (userToken == null || userToken.isBlank()) {
            throw new ProblemException(401, "token-required", "Authentication required", "send X-Auth-Token");
        }
        return keystone.validate(userToken).map(found -> found.orElseThrow(() -> new ProblemException(401,
                "token-invalid", "Invalid token", "Keystone does not accept this token")));
    }

    private static void validate(BindingRequest request) {
        if (request == null || blank(request.leaseId()) || blank(request.heatStackId())) {
            throw new ProblemException(422, "invalid-binding", "Invalid binding",
                    "lease_id and heat_stack_id are required");
        }
    }

    private static Uni<LaunchPlan> store(BindingRequest request, KeystoneToken user, String stackName, String trustId) {
        LaunchPlan plan = new LaunchPlan();
        plan.id = UUID.randomUUID().toString();
        plan.leaseId = request.leaseId();
        plan.projectId = user.projectId();
        plan.userId = user.userId();
        plan.heatStackId = request.heatStackId();
        plan.stackName = stackName;
        plan.trustId = trustId;
        plan.reservationParameter = blank(request.reservationParameter()) ? DEFAULT_PARAMETER
                : request.reservationParameter();
        plan.mode = PlanMode.BOUND;
        plan.status = PlanStatus.INIT_COMPLETE;
        plan.createdAt = Instant.now();
        plan.updatedAt = plan.createdAt;
        return Panache.withTransaction(() -> plan.persist()
                .flatMap(saved -> PlanTransition.of(plan.id, null, PlanStatus.INIT_COMPLETE, "bound").persist())
                .replaceWith(plan));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
