package io.leaseflow.exchange.group;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;

/** Group lifecycle: create (returns the join token once), show, delete. */
@Path("/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    private final GroupService groups;
    private final ExchangeConfig config;

    GroupResource(GroupService groups, ExchangeConfig config) {
        this.groups = groups;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateGroupRequest request, @Context UriInfo uriInfo) {
        var spec = valid(request);
        return groups.create(spec).map(created -> answer(created, uriInfo));
    }

    /**
     * Creates the group under an id and join token the caller chose, idempotently: a caller that stored both before
     * calling (stack-launcher does) can repeat the call after a timeout, a 5xx or its own crash and never makes a
     * second group. 201 when created; 200 when the id already holds this group (same token and definition); 409
     * when it holds another. The token is {@code Authorization: Bearer <token>}, 32-128 characters of
     * {@code [A-Za-z0-9_-]} (e.g. 32 random bytes, base64url).
     */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> createWithId(@PathParam("id") String id, CreateGroupRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @Context UriInfo uriInfo) {
        UUID groupId = GroupLookup.id(id);
        String token = JoinTokenCheck.chosenToken(auth);
        var spec = valid(request);
        return groups.createWithId(groupId, token, spec).map(created -> answer(created, uriInfo));
    }

    private static CreateGroupRequest.ValidGroup valid(CreateGroupRequest request) {
        if (request == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A JSON group definition is required.");
        }
        return request.validate();
    }

    private Response answer(GroupService.Created created, UriInfo uriInfo) {
        ExchangeGroup g = created.group();
        String self = baseUrl(uriInfo) + "/v1/groups/" + g.id;
        var body = new GroupCreated(g.id, g.name, g.size, g.status, created.joinToken(),
                new GroupCreated.Urls(self + "/members/{key}", self + "/inputs", self + "/heat-members/{key}"));
        return created.isNew() ? Response.created(URI.create(self)).entity(body).build()
                : Response.ok(body).build();
    }

    /** The groups created for a lease ({@code lease_id} given at creation), for stack-launcher's lease timeline. */
    @GET
    public Uni<List<GroupView>> ofLease(@QueryParam("lease_id") String leaseId) {
        if (leaseId == null || leaseId.isBlank()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "The query parameter lease_id is required.");
        }
        return groups.ofLease(leaseId).map(found -> found.stream().map(GroupView::of).toList());
    }

    @GET
    @Path("/{id}")
    public Uni<GroupView> show(@PathParam("id") String id) {
        return groups.find(GroupLookup.id(id)).map(GroupView::of);
    }

    /** Requires the join token: whoever created the group (e.g. stack-launcher) holds it. */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return groups.delete(GroupLookup.id(id), auth).map(done -> Response.noContent().build());
    }

    /** The base URL handed to agents: {@code leaseflow.exchange.public-url}, else the one the client called. */
    public static String baseUrl(ExchangeConfig config, UriInfo uriInfo) {
        String base = config.publicUrl().orElse(uriInfo.getBaseUri().toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String baseUrl(UriInfo uriInfo) {
        String base = config.publicUrl().orElse(uriInfo.getBaseUri().toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
