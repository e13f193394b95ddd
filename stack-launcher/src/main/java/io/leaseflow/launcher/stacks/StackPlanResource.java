package io.leaseflow.launcher.stacks;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.leaseflow.launcher.heat.HeatCallSubject;
import io.leaseflow.launcher.heat.HeatStacks;
import io.leaseflow.launcher.launch.StackLauncher;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanMode;
import io.leaseflow.launcher.plan.PlanStatus;
import io.leaseflow.launcher.plan.PlanTransition;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.launcher.recovery.TrustJanitor;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.KeystoneToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Initialized stacks ("launch plans"). Every call needs the user's {@code X-Auth-Token}; a plan of another project
 * answers 404, as if it did not exist. {@code /v1/bindings} and {@code /v1/plans} are the walking skeleton's names.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stacks")
public class StackPlanResource {
    private static final Logger LOG = Logger.getLogger(StackPlanResource.class);
    private final UserTokens users;
    private final PlanInitializer initializer;
    private final PlanTransitions transitions;
    private final StackLauncher launcher;
    private final HeatStacks heat;
    private final KeystoneSession keystone;
    private final TrustJanitor trusts;

    public StackPlanResource(UserTokens users, PlanInitializer initializer, PlanTransitions transitions,
            StackLauncher launcher, HeatStacks heat, KeystoneSession keystone, TrustJanitor trusts) {
        this.users = users;
        this.initializer = initializer;
        this.transitions = transitions;
        this.launcher = launcher;
        this.heat = heat;
        this.keystone = keystone;
        this.trusts = trusts;
    }

    @POST
    @Path("/stacks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Initialize a stack: dormant (default), held or bound; launched when its lease starts")
    public Uni<Response> initialize(@HeaderParam("X-Auth-Token") String token, InitializeRequest request) {
        return users.require(token).flatMap(user -> initializer.initialize(user, request))
                .map(plan -> Response.created(URI.create("/v1/stacks/" + plan.id)).entity(PlanView.of(plan)).build());
    }

    @POST
    @Path("/bindings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bind a stack already INIT_COMPLETE in Heat (mode bound); alias of POST /v1/stacks")
    public Uni<Response> bind(@HeaderParam("X-Auth-Token") String token, InitializeRequest request) {
        InitializeRequest bound = request == null ? null : new InitializeRequest(request.stackName(), null, null, null,
                null, request.timeoutMins(), null, null, request.leaseId(), request.reservation(),
                request.reservationParameter(), "bound", request.heatStackId(), request.onEnd(), request.exchange());
        return initialize(token, bound);
    }

    @GET
    @Path("/stacks")
    @Operation(summary = "List your project's plans, optionally by lease and status")
    public Uni<List<PlanView>> list(@HeaderParam("X-Auth-Token") String token, @QueryParam("lease_id") String leaseId,
            @QueryParam("status") String status) {
        PlanStatus wanted = status == null ? null : parseStatus(status);
        return users.require(token).flatMap(user -> Panache.withSession(() -> {
            StringBuilder query = new StringBuilder("projectId = :project");
            Map<String, Object> params = new HashMap<>();
            params.put("project", user.projectId());
            if (leaseId != null) {
                query.append(" and leaseId = :lease");
                params.put("lease", leaseId);
            }
            if (wanted != null) {
                query.append(" and status = :status");
                params.put("status", wanted);
            }
            return LaunchPlan.<LaunchPlan>list(query + " order by createdAt", params);
        })).map(plans -> plans.stream().map(PlanView::of).toList());
    }

    @GET
    @Path("/stacks/{id}")
    @Operation(summary = "A plan with its history (every transition)")
    public Uni<PlanView> show(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id) {
        return users.require(token).flatMap(user -> Panache.withSession(() -> owned(user, id)
                .flatMap(plan -> PlanTransition.<PlanTransition>list("planId = ?1 order by id", id)
                        .map(history -> PlanView.of(plan, history)))));
    }

    @DELETE
    @Path("/stacks/{id}")
    @Operation(summary = "Cancel a plan before launch; a dormant plan's empty Heat stack is deleted too")
    public Uni<PlanView> cancel(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id) {
        return users.require(token).flatMap(user -> Panache.withSession(() -> owned(user, id))
                .flatMap(plan -> transitions.move(plan, PlanStatus.INIT_COMPLETE, PlanStatus.CANCELLED,
                        "cancelled by user " + user.userId())
                        .flatMap(moved -> {
                            if (!moved) {
                                throw new ProblemException(409, "not-cancellable", "Plan not cancellable",
                                        "only a plan not yet launched (INIT_COMPLETE) can be cancelled; this one is "
                                                + plan.status);
                            }
                            return deleteDormantStack(user, plan).flatMap(x -> trusts.releaseIfDone(plan))
                                    .replaceWith(PlanView.of(plan));
                        })));
    }

    @POST
    @Path("/stacks/{id}/launch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Launch now with an explicit reservation id (recovery: lost start, or after FAILED)")
    public Uni<Response> launch(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id,
            LaunchRequest request) {
        if (request == null || request.reservationId() == null || request.reservationId().isBlank()) {
            throw new ProblemException(422, "invalid-request", "Invalid request", "reservation_id is required");
        }
        return users.require(token).flatMap(user -> Panache.withSession(() -> owned(user, id))
                .flatMap(plan -> {
                    if (plan.status != PlanStatus.INIT_COMPLETE && plan.status != PlanStatus.FAILED) {
                        throw new ProblemException(409, "not-launchable", "Plan not launchable",
                                "only an INIT_COMPLETE or FAILED plan can be launched; this one is " + plan.status);
                    }
                    return renewTrust(user, plan)
                            .flatMap(x -> launcher.claimAndLaunch(plan, plan.status, request.reservationId().trim(),
                                    "manual launch by user " + user.userId(), 0))
                            .map(launched -> {
                                if (!launched) {
                                    throw new ProblemException(409, "not-launchable", "Plan not launchable",
                                            "the plan is being launched already");
                                }
                                return Response.accepted(PlanView.of(plan)).build();
                            });
                }));
    }

    @GET
    @Path("/plans/{id}")
    @Operation(summary = "Alias of GET /v1/stacks/{id}")
    public Uni<PlanView> plan(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id) {
        return show(token, id);
    }

    @GET
    @Path("/plans")
    @Operation(summary = "Alias of GET /v1/stacks")
    public Uni<List<PlanView>> plans(@HeaderParam("X-Auth-Token") String token, @QueryParam("lease_id") String leaseId,
            @QueryParam("status") String status) {
        return list(token, leaseId, status);
    }

    /** A FAILED plan's trust is gone; a manual relaunch takes a new one from the caller. */
    private Uni<Void> renewTrust(KeystoneToken user, LaunchPlan plan) {
        if (plan.trustId != null) {
            return Uni.createFrom().voidItem();
        }
        boolean redelegation = plan.mode == PlanMode.HELD && plan.heatStackId == null;
        return keystone.createTrust(user, redelegation).flatMap(trustId -> {
            plan.trustId = trustId;
            return transitions.update(plan, "trustId");
        });
    }

    private Uni<Void> deleteDormantStack(KeystoneToken user, LaunchPlan plan) {
        if (plan.mode != PlanMode.DORMANT || plan.heatStackId == null) {
            return Uni.createFrom().voidItem();
        }
        return heat.delete(HeatCallSubject.of(plan), user, plan.stackName, plan.heatStackId)
                .invoke(() -> LOG.infof("plan=%s stack=%s empty dormant stack deleted", plan.id, plan.heatStackId))
                .onFailure().invoke(f -> LOG.warnf("plan=%s stack=%s dormant stack not deleted: %s", plan.id,
                        plan.heatStackId, f.toString()))
                .onFailure().recoverWithNull();
    }

    private static Uni<LaunchPlan> owned(KeystoneToken user, String id) {
        return LaunchPlan.<LaunchPlan>findById(id).map(plan -> {
            if (plan == null || !plan.projectId.equals(user.projectId())) {
                throw new ProblemException(404, "plan-not-found", "Plan not found", "no plan " + id
                        + " in your project");
            }
            return plan;
        });
    }

    private static PlanStatus parseStatus(String status) {
        try {
            return PlanStatus.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (PlanStatus s : PlanStatus.values()) {
                names.add(s.name());
            }
            throw new ProblemException(400, "invalid-status", "Invalid status", "status must be one of " + names);
        }
    }
}
