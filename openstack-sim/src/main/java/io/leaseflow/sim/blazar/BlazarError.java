package io.leaseflow.sim.blazar;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error in Blazar's API shape ({@code blazar/api/utils.py render_error_message}). */
public class BlazarError extends RuntimeException {

    private final int status;

    public BlazarError(int status, String message) {
        super(message);
        this.status = status;
    }

    public static BlazarError notFound(String leaseId) {
        return new BlazarError(404, "Object with {'lease_id': '" + leaseId + "'} not found");
    }

    public static BlazarError invalid(String message) {
        return new BlazarError(400, message);
    }

    public static Map<String, Object> body(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", status);
        body.put("error_message", message);
        body.put("error_name", status);
        return body;
    }

    /** Registered by Quarkus REST from this static method. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response map(BlazarError error) {
            return Response.status(error.status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(error.status, error.getMessage())).build();
        }
    }
}
