package io.leaseflow.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details of the operator API, in the same shape and type namespace as the services'. */
public class DeadLetterProblem extends WebApplicationException {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://leaseflow.io/problems/";

    private DeadLetterProblem(Response response, String detail) {
        super(detail, response);
    }

    public static DeadLetterProblem of(int status, String slug, String title, String detail) {
        return of(status, slug, title, detail, Map.of());
    }

    /** With extension members (e.g. the dead letter's id and status). */
    public static DeadLetterProblem of(int status, String slug, String title, String detail,
            Map<String, Object> extensions) {
        return of(Response.status(status), status, slug, title, detail, extensions);
    }

    private static DeadLetterProblem of(Response.ResponseBuilder response, int status, String slug, String title,
            String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return new DeadLetterProblem(response.type(MEDIA_TYPE).entity(body).build(), detail);
    }

    static DeadLetterProblem unauthorized(String slug, String title, String detail) {
        return of(Response.status(401).header("WWW-Authenticate", "Bearer realm=\"leaseflow-operator\""), 401, slug,
                title, detail, Map.of());
    }
}
