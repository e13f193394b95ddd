package io.leaseflow.launcher.blazar;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Blazar v1, relative to the catalog's reservation endpoint. */
@Produces(MediaType.APPLICATION_JSON)
public interface BlazarLeaseApi {
    @GET
    @Path("/leases/{id}")
    Uni<JsonNode> lease(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String id);
}
