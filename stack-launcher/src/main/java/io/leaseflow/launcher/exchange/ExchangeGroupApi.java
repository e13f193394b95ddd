package io.leaseflow.launcher.exchange;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

    /**
     * Idempotent create under an id and join token stack-launcher chose and stored first: {@code 201} created,
     * {@code 200} the same group again (a retry), {@code 409} the id holds another group.
     */
    @PUT
    @Path("/v1/groups/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<JsonNode>> createWithId(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, JsonNode group);

    /** Needs {@code Authorization: Bearer <join token>}. */
    @DELETE
    @Path("/v1/groups/{id}")
    Uni<RestResponse<Void>> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);
}
