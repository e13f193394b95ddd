package io.leaseflow.launcher.timeline;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** hosts-exchange's groups by lease ({@code quarkus.rest-client.hosts-exchange.url}). */
@RegisterRestClient(configKey = "hosts-exchange")
@Produces(MediaType.APPLICATION_JSON)
public interface HostsExchangeApi {

    @GET
    @Path("/v1/groups")
    Uni<JsonNode> groupsOfLease(@QueryParam("lease_id") String leaseId);
}
