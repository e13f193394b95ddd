package io.leaseflow.launcher.heat;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.openstack.KeystoneToken;
import io.leaseflow.openstack.ServiceEndpoints;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Calls Heat at the token's orchestration endpoint. Transient failures (connect, 5xx, 409) are retried with backoff
 * and jitter, bounded; permanent ones (4xx) surface at once with Heat's message.
 */
@ApplicationScoped
public class HeatStacks {
    static final String SERVICE_TYPE = "orchestration";
    private final ServiceEndpoints endpoints;
    private final Map<String, HeatStackApi> clients = new ConcurrentHashMap<>();

    public HeatStacks(ServiceEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 250, jitter = 200, abortOn = PermanentHeatFailure.class)
    public Uni<Void> setParameter(KeystoneToken token, String stackName, String stackId, String parameter,
            String value) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("parameters").put(parameter, value);
        return api(token).flatMap(heat -> heat.patch(token.value(), stackName, stackId, body))
                .onFailure().transform(HeatStacks::classify)
                .flatMap(response -> response.getStatus() == 202 || response.getStatus() == 200
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(classify(response.getStatus(), "PATCH answered " + response.getStatus())));
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 200, abortOn = PermanentHeatFailure.class)
    public Uni<JsonNode> show(KeystoneToken token, String stackName, String stackId) {
        return api(token).flatMap(heat -> heat.show(token.value(), stackName, stackId))
                .onFailure().transform(HeatStacks::classify)
                .map(body -> body.path("stack"));
    }

    /** The stack's name, from Heat's redirect of {@code /stacks/{id}}. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 250, jitter = 200, abortOn = PermanentHeatFailure.class)
    public Uni<String> nameOf(KeystoneToken token, String stackId) {
        return api(token).flatMap(heat -> heat.locate(token.value(), stackId))
                .onFailure().transform(HeatStacks::classify)
                .map(response -> {
                    URI location = response.getLocation();
                    if (response.getStatus() / 100 != 3 || location == null) {
                        throw classify(response.getStatus(), "no redirect for stack " + stackId);
                    }
                    String[] parts = location.getPath().split("/");
                    return parts[parts.length - 2];
                });
    }

    private Uni<HeatStackApi> api(KeystoneToken token) {
        return endpoints.require(token, SERVICE_TYPE).map(url -> clients.computeIfAbsent(url,
                u -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(u)).followRedirects(false)
                        .build(HeatStackApi.class)));
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            String message = heatMessage(wae.getResponse().readEntity(String.class));
            return classify(status, "Heat answered " + status + (message.isEmpty() ? "" : ": " + message));
        }
        return failure;
    }

    private static RuntimeException classify(int status, String message) {
        return HeatCallException.isPermanent(status) ? new PermanentHeatFailure(status, message)
                : new HeatCallException(status, message, false);
    }

    // Heat's error body: {"code", "title", "explanation", "error": {"type", "message"}}; a 500 may carry none.
    private static String heatMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("error");
            String type = error.path("type").asText("");
            String message = error.path("message").asText("");
            return (type + " " + message).trim();
        } catch (Exception e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    /** A 4xx other than 409: retrying cannot help. */
    public static class PermanentHeatFailure extends HeatCallException {
        public PermanentHeatFailure(int status, String message) {
            super(status, message, true);
        }
    }
}
