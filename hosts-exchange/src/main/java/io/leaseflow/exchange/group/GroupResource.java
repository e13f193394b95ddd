package io.leaseflow.exchange.group;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

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
        if (request == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A JSON group definition is required.");
        }
        var spec = request.validate();
        String base = baseUrl(uriInfo) + "/v1/groups/";
        return groups.create(spec).map(created -> {
            ExchangeGroup g = created.group();
            String self = base + g.id;
            var body = new GroupCreated(g.id, g.name, g.size, g.status, created.joinToken(),
                    new GroupCreated.Urls(self + "/members/{key}", self + "/inputs",
                            self + "/heat-members/{key}"));
            return Response.created(URI.create(self)).entity(body).build();
        });
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
