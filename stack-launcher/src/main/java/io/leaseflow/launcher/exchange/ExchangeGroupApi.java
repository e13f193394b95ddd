package io.leaseflow.launcher.exchange;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** hosts-exchange's group lifecycle ({@code quarkus.rest-client.hosts-exchange.url}); see {@link ExchangeGroups}. */
@RegisterRestClient(configKey = "hosts-exchange")
@Produces(MediaType.APPLICATION_JSON)
public interface ExchangeGroupApi {

    /** {@code 201 {id, join_token, urls}}: the only time hosts-exchange shows the join token. */
    @POST
    @Path("/v1/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<JsonNode>> create(JsonNode group);

    /** Needs {@code Authorization: Bearer <join token>}. */
    @DELETE
    @Path("/v1/groups/{id}")
    Uni<RestResponse<Void>> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);
}
