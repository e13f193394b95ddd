package io.leaseflow.sim.heat;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error in heat-api's fault-middleware shape: {@code {"code", "title", "explanation", "error": {...}}}. */
public class HeatFault extends RuntimeException {

    private final int status;
    private final String type;

    public HeatFault(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public static HeatFault stackNotFound(String nameOrId) {
        return new HeatFault(404, "EntityNotFound", "The Stack (" + nameOrId + ") could not be found.");
    }

    public static HeatFault badRequest(String type, String message) {
        return new HeatFault(400, type, message);
    }

    public static Map<String, Object> body(int status, String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("traceback", null);
        if (message != null) {
            error.put("message", message);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("title", title(status));
        body.put("explanation", explanation(status));
        body.put("error", error);
        return body;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** webob's explanations, which heat-api copies into every error. */
    static String explanation(int status) {
        return switch (status) {
            case 400 -> "The server could not comply with the request since it is either malformed or otherwise incorrect.";
            case 403 -> "Access was denied to this resource.";
            case 404 -> "The resource could not be found.";
            case 409 -> "There was a conflict when trying to complete your request.";
            case 503 -> "The server is currently unavailable. Please try again at a later time.";
            default -> "The server has either erred or is incapable of performing the requested operation.";
        };
    }

    public static class Mapper {
        @ServerExceptionMapper
        public Response map(HeatFault fault) {
            return Response.status(fault.status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(fault.status, fault.type, fault.getMessage())).build();
        }
    }
}
