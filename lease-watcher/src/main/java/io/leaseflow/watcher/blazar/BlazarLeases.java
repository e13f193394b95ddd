package io.leaseflow.watcher.blazar;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

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
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public Uni<JsonNode> lease(String leaseId) {
        return keystone.serviceToken().flatMap(token -> endpoints.require(token, SERVICE_TYPE)
                .flatMap(url -> client(url).lease(token.value(), leaseId)))
                .map(body -> body.path("lease"));
    }

    private BlazarLeaseApi client(String baseUrl) {
        return clients.computeIfAbsent(baseUrl,
                url -> QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url)).build(BlazarLeaseApi.class));
    }
}
