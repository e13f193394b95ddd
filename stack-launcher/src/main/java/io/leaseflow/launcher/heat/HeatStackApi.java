package io.leaseflow.launcher.heat;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * Heat v1, relative to the catalog's orchestration endpoint ({@code .../v1/<project id>}). Every method answers the
 * whole response: the call log reads Heat's {@code x-openstack-request-id}.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface HeatStackApi {

    @GET
    @Path("/stacks/{name}/{id}")
    Uni<RestResponse<JsonNode>> show(@HeaderParam("X-Auth-Token") String token, @PathParam("name") String name,
            @PathParam("id") String id);

    /** Answers 302 to {@code /stacks/{name}/{id}}; the caller reads the Location. */
    @GET
    @Path("/stacks/{id}")
    Uni<RestResponse<Void>> locate(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id);

    /** Merge update: only the given parameters change. Always by name and id (by name alone Heat only redirects). */
    @PATCH
    @Path("/stacks/{name}/{id}")
    Uni<RestResponse<Void>> patch(@HeaderParam("X-Auth-Token") String token, @PathParam("name") String name,
            @PathParam("id") String id, JsonNode body);

    @POST
    @Path("/stacks")
    Uni<RestResponse<JsonNode>> create(@HeaderParam("X-Auth-Token") String token, JsonNode body);

    @GET
    @Path("/stacks")
    Uni<RestResponse<JsonNode>> listByTag(@HeaderParam("X-Auth-Token") String token, @QueryParam("tags") String tag);

    @DELETE
    @Path("/stacks/{name}/{id}")
    Uni<RestResponse<Void>> delete(@HeaderParam("X-Auth-Token") String token, @PathParam("name") String name,
            @PathParam("id") String id);

    @POST
    @Path("/validate")
    Uni<RestResponse<JsonNode>> validate(@HeaderParam("X-Auth-Token") String token, JsonNode body);
}
