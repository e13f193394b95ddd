package io.leaseflow.exchange.problem;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Turns every error that leaves a resource into RFC 9457 problem details. */
public class ProblemMappers {

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

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static URI instance(UriInfo uriInfo) {
        return uriInfo == null ? null : URI.create(uriInfo.getRequestUri().getRawPath());
    }
}
