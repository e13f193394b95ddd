package io.leaseflow.exchange.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body over {@code quarkus.http.limits.max-body-size} with a 413 problem. Quarkus' own limit (which
 * stays as the backstop, e.g. for chunked bodies) answers a bare 413 before any resource or mapper runs, so this
 * route checks {@code Content-Length} just ahead of it.
 */
@ApplicationScoped
public class OversizeRequests {
    /** Just before Quarkus' upload limit ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}, -2). */
    private static final int ORDER = -3;

    private final long limit;

    OversizeRequests(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
            MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::checkLength);
        router.route().order(ORDER).failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                refuse(context, "the request body exceeds " + limit + " bytes");
            } else {
                context.next();
            }
        });
    }

    private void checkLength(RoutingContext context) {
        String header = context.request().getHeader("Content-Length");
        long length;
        try {
            length = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length > limit) {
            refuse(context, "the request body of " + length + " bytes exceeds the limit of " + limit + " bytes");
        } else {
            context.next();
        }
    }

    private static void refuse(RoutingContext context, String detail) {
        var problem = new JsonObject().put("type", "https://leaseflow.io/problems/request-too-large")
                .put("title", "Request body too large").put("status", 413).put("detail", detail)
                .put("instance", context.request().path());
        // The body was not read: close the connection rather than drain it.
        context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(problem.encode());
    }
}
