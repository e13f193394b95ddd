package io.leaseflow.launcher.heat;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.leaseflow.openstack.KeystoneToken;
import io.leaseflow.openstack.ServiceEndpoints;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Calls Heat at the token's orchestration endpoint; owns fault tolerance and error mapping. Transient failures
 * (connect, timeout, 5xx, 409 action in progress) are retried with exponential backoff and jitter, bounded; permanent
 * ones (other 4xx, a missing endpoint) surface at once with Heat's message. Every attempt is counted by operation and
 * status, and logged in {@code heat_call} with the plan and lease it was for ({@link HeatCallLog}). Retry bounds can
 * be tuned per method with MicroProfile FT keys, e.g.
 * {@code io.leaseflow.launcher.heat.HeatStacks/setParameters/Retry/maxRetries}.
 */
@ApplicationScoped
public class HeatStacks {
    static final String SERVICE_TYPE = "orchestration";
    static final String REQUEST_ID = "x-openstack-request-id";
    private final ServiceEndpoints endpoints;
    private final LauncherMetrics metrics;
    private final HeatCallLog callLog;
    private final Map<String, HeatStackApi> clients = new ConcurrentHashMap<>();

    public HeatStacks(ServiceEndpoints endpoints, LauncherMetrics metrics, HeatCallLog callLog) {
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.callLog = callLog;
    }

    /**
     * {@code PATCH /stacks/{name}/{id}} with these parameters (the reservation's and, for a plan with a hosts-exchange
     * group, its URL and join token) in one request; completes when Heat answered 202.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 6, delay = 200, jitter = 100, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = { PermanentHeatFailure.class, ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public Uni<Void> setParameters(HeatCallSubject subject, KeystoneToken token, String stackName, String stackId,
            Map<String, String> parameters) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode values = body.putObject("parameters");
        parameters.forEach(values::put);
        return call(subject, token, "patch", "PATCH", "/stacks/" + stackName + "/" + stackId,
                heat -> heat.patch(token.value(), stackName, stackId, body)).replaceWithVoid();
    }

    /** {@code POST /stacks}; the new stack's id. */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 6, delay = 200, jitter = 100, maxDuration = 180, durationUnit = ChronoUnit.SECONDS,
            abortOn = { PermanentHeatFailure.class, ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public Uni<String> create(HeatCallSubject subject, KeystoneToken token, JsonNode body) {
        return call(subject, token, "create", "POST", "/stacks", heat -> heat.create(token.value(), body))
                .map(created -> created.getEntity().path("stack").path("id").asText());
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<JsonNode> show(HeatCallSubject subject, KeystoneToken token, String stackName, String stackId) {
        return call(subject, token, "show", "GET", "/stacks/" + stackName + "/" + stackId,
                heat -> heat.show(token.value(), stackName, stackId))
                .map(response -> response.getEntity().path("stack"));
    }

    /** The live stack carrying this tag, if any: {@code {"id", "stack_name", ...}}. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<Optional<JsonNode>> findByTag(HeatCallSubject subject, KeystoneToken token, String tag) {
        return call(subject, token, "list", "GET", "/stacks?tags=" + tag, heat -> heat.listByTag(token.value(), tag))
                .map(response -> {
                    for (JsonNode stack : response.getEntity().path("stacks")) {
                        return Optional.of(stack);
                    }
                    return Optional.<JsonNode>empty();
                });
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public Uni<Void> delete(HeatCallSubject subject, KeystoneToken token, String stackName, String stackId) {
        return call(subject, token, "delete", "DELETE", "/stacks/" + stackName + "/" + stackId,
                heat -> heat.delete(token.value(), stackName, stackId)).replaceWithVoid();
    }

    /** {@code POST /validate}: Heat's description of the template, {@code Parameters} included. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<JsonNode> validate(HeatCallSubject subject, KeystoneToken token, JsonNode body) {
        return call(subject, token, "validate", "POST", "/validate", heat -> heat.validate(token.value(), body))
                .map(RestResponse::getEntity);
    }

    /** The stack's name, from Heat's redirect of {@code /stacks/{id}}. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<String> nameOf(HeatCallSubject subject, KeystoneToken token, String stackId) {
        return call(subject, token, "locate", "GET", "/stacks/" + stackId, heat -> heat.locate(token.value(), stackId))
                .map(response -> {
                    URI location = response.getLocation();
                    if (response.getStatus() / 100 != 3 || location == null) {
                        throw classify(response.getStatus(), "Heat answered " + response.getStatus()
                                + " without a redirect for stack " + stackId);
                    }
                    String[] parts = location.getPath().split("/");
                    return parts[parts.length - 2];
                });
    }

    /** One attempt: counted, logged in the call log (when it was sent, how long it took), failures classified. */
    private <T> Uni<RestResponse<T>> call(HeatCallSubject subject, KeystoneToken token, String operation,
            String method, String path, Function<HeatStackApi, Uni<RestResponse<T>>> request) {
        return api(token).flatMap(heat -> Uni.createFrom().deferred(() -> {
            Instant at = Instant.now();
            long started = System.nanoTime();
            String traceId = LaunchSpans.traceId();
            return request.apply(heat).onItemOrFailure().invoke((response, failure) -> {
                Response answered = failure instanceof WebApplicationException wae ? wae.getResponse()
                        : response == null ? null : response.toResponse();
                Integer status = answered == null ? null : answered.getStatus();
                metrics.heatRequest(operation, status == null ? "error" : Integer.toString(status));
                callLog.record(new HeatCallLog.HeatCall(subject, operation, method, path, status,
                        status == null && failure != null ? failure.getClass().getSimpleName() : null,
                        (System.nanoTime() - started) / 1_000_000,
                        answered == null ? null : answered.getHeaderString(REQUEST_ID), traceId, at));
            });
        })).onFailure().transform(HeatStacks::classify);
    }

    private Uni<HeatStackApi> api(KeystoneToken token) {
        return endpoints.require(token, SERVICE_TYPE).map(url -> clients.computeIfAbsent(url,
                u -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(u)).followRedirects(false)
                        .build(HeatStackApi.class)));
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            String body;
            try {
                body = wae.getResponse().readEntity(String.class);
            } catch (RuntimeException unreadable) {
                body = null;
            }
            return classify(status, HeatErrors.reason(status, body));
        }
        return failure;
    }

    private static RuntimeException classify(int status, String message) {
        // 409 is mostly "action in progress" (transient), but StackExists on a create never goes away.
        boolean stackExists = status == 409 && message != null && message.contains("StackExists");
        return HeatCallException.isPermanent(status) || stackExists ? new PermanentHeatFailure(status, message)
                : new HeatCallException(status, message, false);
    }

    /** A 4xx other than 408/409/429: retrying cannot help. */
    public static class PermanentHeatFailure extends HeatCallException {
        public PermanentHeatFailure(int status, String message) {
            super(status, message, true);
        }
    }
}
