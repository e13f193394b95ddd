package io.leaseflow.launcher.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Every error leaves as an RFC 9457 problem with a stable {@code type}; unexpected ones without internals. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return Problem.response(400, "malformed-json", "Malformed JSON", "the request body is not valid JSON for "
                + "this operation: " + e.getOriginalMessage());
    }

    /**
     * A body of the wrong JSON shape (a string where an object belongs). Without this, Quarkus' built-in mapper for
     * this exception (more specific than {@link JsonProcessingException}) answers 400 with no body.
     */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (Problem.MEDIA_TYPE.equals(String.valueOf(e.getResponse().getMediaType()))) {
            return e.getResponse();
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return Problem.response(status, "http-" + status, title, title);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.errorf("unexpected error: %s", e.toString());
        return Problem.response(500, "internal-error", "Internal error", "the request could not be completed");
    }
}
