package io.leaseflow.watcher.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as an RFC 9457 problem: framework refusals (unknown path, wrong method, unsupported media
 * type) keep their status; unexpected failures answer 500 without internals.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (Problem.MEDIA_TYPE.equals(String.valueOf(e.getResponse().getMediaType()))) {
            return e.getResponse();
        }
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return Problem.response(status, "http-" + status, title, title);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        // The exception's class only: messages of client and driver exceptions can carry request data.
        LOG.errorf("unexpected error: %s", e.getClass().getName());
        return Problem.response(500, "internal-error", "Internal error", "the request could not be completed");
    }
}
