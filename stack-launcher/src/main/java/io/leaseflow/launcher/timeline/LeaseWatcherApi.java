package io.leaseflow.launcher.timeline;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** lease-watcher's read API ({@code quarkus.rest-client.lease-watcher.url}). */
@RegisterRestClient(configKey = "lease-watcher")
@Produces(MediaType.APPLICATION_JSON)
public interface LeaseWatcherApi {

    @GET
    @Path("/v1/leases/{lease_id}/observations")
    Uni<JsonNode> observations(@HeaderParam("X-Auth-Token") String serviceToken, @PathParam("lease_id") String leaseId);
}
