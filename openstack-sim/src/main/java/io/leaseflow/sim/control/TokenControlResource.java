package io.leaseflow.sim.control;

import io.leaseflow.sim.keystone.TokenStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Test-only: {@code POST /sim/tokens/expire {"token": "..."}} ends a token's life now, as its TTL would. */
@Path("/sim/tokens")
public class TokenControlResource {

    private final TokenStore tokens;

    public TokenControlResource(TokenStore tokens) {
        this.tokens = tokens;
    }

    @POST
    @Path("expire")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response expire(Map<String, String> body) {
        String token = body == null ? null : body.get("token");
        if (!tokens.expire(token)) {
            throw new NotFoundException("No such token");
        }
        return Response.noContent().build();
    }
}
