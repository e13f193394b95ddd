package io.leaseflow.watcher.problem;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail; {@code type} is stable and documented. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://leaseflow.io/problems/";

    public static Response response(int status, String slug, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem(BASE + slug, title, status, detail, null)).build();
    }
}
