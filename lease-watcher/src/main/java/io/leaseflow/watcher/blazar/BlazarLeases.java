package io.leaseflow.watcher.blazar;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.ServiceEndpoints;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/** Reads leases from Blazar with the service token, the endpoint taken from the Keystone catalog. */
@ApplicationScoped
public class BlazarLeases {
    static final String SERVICE_TYPE = "reservation";
    private final KeystoneSession keystone;
    private final ServiceEndpoints endpoints;
    private final Map<String, BlazarLeaseApi> clients = new ConcurrentHashMap<>();

    public BlazarLeases(KeystoneSession keystone, ServiceEndpoints endpoints) {
        this.keystone = keystone;
        this.endpoints = endpoints;
    }

    /** The lease object ({@code {"lease": {...}}} unwrapped). Bounded retries; the caller retries later. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, jitter = 100, abortOn = BlazarRefusedException.class)
    public Uni<JsonNode> lease(String leaseId) {
        return keystone.serviceToken().flatMap(token -> endpoints.require(token, SERVICE_TYPE)
                .flatMap(url -> client(url).lease(token.value(), leaseId)))
                .onFailure(BlazarLeases::isClientError).transform(this::refused)
                .map(body -> body.path("lease"));
    }

    /** All leases the service user can see (an admin sees every project's). */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, jitter = 250)
    public Uni<JsonNode> leases() {
        return keystone.serviceToken().flatMap(token -> endpoints.require(token, SERVICE_TYPE)
                .flatMap(url -> client(url).leases(token.value())))
                .map(body -> body.path("leases"));
    }

    public static boolean isNotFound(Throwable failure) {
        return failure instanceof BlazarRefusedException refused && refused.status() == 404;
    }

    private BlazarRefusedException refused(Throwable failure) {
        BlazarRefusedException refused = BlazarRefusedException.from(failure);
        if (refused.status() == 401) {
            keystone.invalidate(); // the next attempt authenticates afresh
        }
        return refused;
    }

    private static boolean isClientError(Throwable failure) {
        return failure instanceof WebApplicationException wae && wae.getResponse().getStatus() / 100 == 4;
    }

    private BlazarLeaseApi client(String baseUrl) {
        return clients.computeIfAbsent(baseUrl,
                url -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url)).build(BlazarLeaseApi.class));
    }
}
