package io.leaseflow.exchange.problem;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Turns every error that leaves a resource into RFC 9457 problem details. */
public class ProblemMappers {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uriInfo) {
        ProblemType t = e.problemType();
        var builder = respond(new Problem(t.type(), t.title(), t.status(), e.getMessage(), instance(uriInfo), e.errors()));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uriInfo) {
        ProblemType t = ProblemType.MALFORMED_REQUEST;
        // Jackson's original message names the offending token and position, never secrets.
        return respond(new Problem(t.type(), t.title(), t.status(), e.getOriginalMessage(), instance(uriInfo), List.of()))
                .build();
    }

    /**
     * A body of the wrong JSON shape (a string where an object belongs, a number for a list). Without this,
     * Quarkus' built-in mapper for this exception (more specific than {@link JsonProcessingException}) answers 400
     * with no body.
     */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e, UriInfo uriInfo) {
        return unreadableJson(e, uriInfo);
    }

    /** Framework errors (unknown path, wrong method, unsupported media type) keep their status, in problem form. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uriInfo) {
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            // Quarkus REST wraps an unreadable body in a 400 WebApplicationException.
            return unreadableJson(json, uriInfo);
        }
        var reason = Response.Status.fromStatusCode(status);
        String title = reason == null ? "HTTP " + status : reason.getReasonPhrase();
        return respond(new Problem(URI.create("about:blank"), title, status, e.getMessage(), instance(uriInfo), List.of()))
                .build();
    }

    /**
     * Anything else is a bug: a 500 problem without internals. The log gets the exception's class only: paths carry
     * capability tokens and messages can carry request data.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uriInfo) {
        LOG.errorf("unexpected error: %s", e.getClass().getName());
        return respond(new Problem(URI.create("https://leaseflow.io/problems/internal-error"), "Internal error", 500,
                "The request could not be completed.", instance(uriInfo), List.of())).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static URI instance(UriInfo uriInfo) {
        return uriInfo == null ? null : URI.create(uriInfo.getRequestUri().getRawPath());
    }
}
