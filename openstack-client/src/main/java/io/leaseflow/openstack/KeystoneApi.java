package io.leaseflow.openstack;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Keystone v3, relative to the auth URL (which ends in {@code /v3}). */
@RegisterRestClient(configKey = "keystone")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface KeystoneApi {

    @POST
    @Path("/auth/tokens")
    Uni<RestResponse<JsonNode>> authenticate(JsonNode body);

    @GET
    @Path("/auth/tokens")
    Uni<RestResponse<JsonNode>> validate(@HeaderParam("X-Auth-Token") String serviceToken,
            @HeaderParam("X-Subject-Token") String subjectToken);

    @POST
    @Path("/OS-TRUST/trusts")
    Uni<JsonNode> createTrust(@HeaderParam("X-Auth-Token") String trustorToken, JsonNode body);

    @DELETE
    @Path("/OS-TRUST/trusts/{id}")
    Uni<RestResponse<Void>> deleteTrust(@HeaderParam("X-Auth-Token") String token, @PathParam("id") String trustId);
}
