package io.leaseflow.launcher.blazar;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.openstack.KeystoneToken;
import io.leaseflow.openstack.ServiceEndpoints;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/** Reads a lease (reservations, dates) from Blazar with the user's own token (so a lease of another project is not found). */
@ApplicationScoped
public class BlazarLeases {
    private final ServiceEndpoints endpoints;
    private final Map<String, BlazarLeaseApi> clients = new ConcurrentHashMap<>();

    public BlazarLeases(ServiceEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 250, jitter = 100, abortOn = ProblemException.class)
    public Uni<BlazarLease> lease(KeystoneToken user, String leaseId) {
        return endpoints.require(user, "reservation")
                .onFailure().transform(f -> new ProblemException(422, "no-reservation-service",
                        "Blazar not found", "the Keystone catalog has no reservation endpoint"))
                .map(url -> clients.computeIfAbsent(url, u -> QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(u)).build(BlazarLeaseApi.class)))
                .flatMap(api -> api.lease(user.value(), leaseId))
                .onFailure(WebApplicationException.class).transform(f -> {
                    int status = ((WebApplicationException) f).getResponse().getStatus();
                    if (status == 404 || status == 403) {
                        return new ProblemException(422, "lease-not-found", "Lease not found",
                                "lease " + leaseId + " is not visible to you in Blazar");
                    }
                    return f;
                })
                .map(body -> {
                    List<LeaseEvent.Reservation> reservations = new ArrayList<>();
                    JsonNode lease = body.path("lease");
                    for (JsonNode r : lease.path("reservations")) {
                        reservations.add(new LeaseEvent.Reservation(r.path("id").asText(),
                                r.path("resource_type").asText(), r.path("status").asText(null), null));
                    }
                    return new BlazarLease(reservations, BlazarLease.blazarTime(lease.path("start_date").asText(null)),
                            BlazarLease.blazarTime(lease.path("end_date").asText(null)));
                });
    }
}
