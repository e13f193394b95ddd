package io.leaseflow.launcher.heat;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.openstack.KeystoneToken;
import io.leaseflow.openstack.ServiceEndpoints;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

/**
 * Calls Heat at the token's orchestration endpoint; owns fault tolerance and error mapping. Transient failures
 * (connect, timeout, 5xx, 409 action in progress) are retried with exponential backoff and jitter, bounded; permanent
 * ones (other 4xx, a missing endpoint) surface at once with Heat's message. Every attempt is counted by operation and
 * status. Retry bounds can be tuned per method with MicroProfile FT keys, e.g.
 * {@code io.leaseflow.launcher.heat.HeatStacks/setParameter/Retry/maxRetries}.
 */
@ApplicationScoped
public class HeatStacks {
    static final String SERVICE_TYPE = "orchestration";
    private final ServiceEndpoints endpoints;
    private final LauncherMetrics metrics;
    private final Map<String, HeatStackApi> clients = new ConcurrentHashMap<>();

    public HeatStacks(ServiceEndpoints endpoints, LauncherMetrics metrics) {
        this.endpoints = endpoints;
        this.metrics = metrics;
    }

    /** {@code PATCH /stacks/{name}/{id}} with one parameter; completes when Heat answered 202. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 6, delay = 200, jitter = 100, maxDuration = 120, durationUnit = ChronoUnit.SECONDS,
            abortOn = { PermanentHeatFailure.class, ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public Uni<Void> setParameter(KeystoneToken token, String stackName, String stackId, String parameter,
            String value) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("parameters").put(parameter, value);
        return call("patch", "202", api(token).flatMap(heat -> heat.patch(token.value(), stackName, stackId, body)))
                .replaceWithVoid();
    }

    /** {@code POST /stacks}; the new stack's id. */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 6, delay = 200, jitter = 100, maxDuration = 180, durationUnit = ChronoUnit.SECONDS,
            abortOn = { PermanentHeatFailure.class, ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public Uni<String> create(KeystoneToken token, JsonNode body) {
        return call("create", "201", api(token).flatMap(heat -> heat.create(token.value(), body)))
                .map(created -> created.path("stack").path("id").asText());
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<JsonNode> show(KeystoneToken token, String stackName, String stackId) {
        return call("show", "200", api(token).flatMap(heat -> heat.show(token.value(), stackName, stackId)))
                .map(body -> body.path("stack"));
    }

    /** The live stack carrying this tag, if any: {@code {"id", "stack_name", ...}}. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<Optional<JsonNode>> findByTag(KeystoneToken token, String tag) {
        return call("list", "200", api(token).flatMap(heat -> heat.listByTag(token.value(), tag)))
                .map(body -> {
                    for (JsonNode stack : body.path("stacks")) {
                        return Optional.of(stack);
                    }
                    return Optional.<JsonNode>empty();
                });
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public Uni<Void> delete(KeystoneToken token, String stackName, String stackId) {
        return call("delete", "204", api(token).flatMap(heat -> heat.delete(token.value(), stackName, stackId)))
                .replaceWithVoid();
    }

    /** {@code POST /validate}: Heat's description of the template, {@code Parameters} included. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<JsonNode> validate(KeystoneToken token, JsonNode body) {
        return call("validate", "200", api(token).flatMap(heat -> heat.validate(token.value(), body)));
    }

    /** The stack's name, from Heat's redirect of {@code /stacks/{id}}. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 100, abortOn = { PermanentHeatFailure.class,
            ServiceEndpoints.MissingEndpointException.class })
    public Uni<String> nameOf(KeystoneToken token, String stackId) {
        return api(token).flatMap(heat -> heat.locate(token.value(), stackId))
                .onItemOrFailure().invoke((r, f) -> metrics.heatRequest("locate", statusOf(r, f)))
                .onFailure().transform(HeatStacks::classify)
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

    private <T> Uni<T> call(String operation, String success, Uni<T> request) {
        return request.onItemOrFailure().invoke((r, f) -> metrics.heatRequest(operation,
                        f == null && !(r instanceof org.jboss.resteasy.reactive.RestResponse<?>) ? success : statusOf(r, f)))
                .onFailure().transform(HeatStacks::classify);
    }

    private static String statusOf(Object response, Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            return Integer.toString(wae.getResponse().getStatus());
        }
        if (failure != null) {
            return "error";
        }
        if (response instanceof org.jboss.resteasy.reactive.RestResponse<?> r) {
            return Integer.toString(r.getStatus());
        }
        return "2xx";
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
