package io.leaseflow.watcher.blazar;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Blazar v1 leases, relative to the catalog's {@code reservation} endpoint (which ends in {@code /v1}). */
@Produces(MediaType.APPLICATION_JSON)
public interface BlazarLeaseApi {

    @GET
    @Path("/leases/{id}")
    Uni<JsonNode> lease(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String leaseId);

    @GET
    @Path("/leases")
    Uni<JsonNode> leases(@HeaderParam("X-Auth-Token") String token);
}
