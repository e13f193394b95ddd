package io.leaseflow.watcher.observations;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.leaseflow.watcher.dedup.LeaseSighting;
import io.leaseflow.watcher.webhook.WebhookAuthenticator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /v1/leases/{id}/observations}: every sighting of the lease's facts in time order, for stack-launcher's
 * lease timeline. Same credentials as the webhook: a Keystone token with an allowed role, or the shared secret.
 */
@Path("/v1/leases/{lease_id}/observations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "observations")
public class LeaseObservationsResource {
    private final WebhookAuthenticator auth;

    public LeaseObservationsResource(WebhookAuthenticator auth) {
        this.auth = auth;
    }

    /** One sighting; {@code published} says whether it put the event on Kafka (else it was a duplicate). */
    public record Observation(@JsonProperty("event_id") String eventId, @JsonProperty("event_type") String eventType,
            String via, @JsonProperty("message_id") String messageId, boolean published,
            @JsonProperty("trace_id") String traceId, @JsonProperty("seen_at") Instant seenAt) {
    }

    public record Observations(@JsonProperty("lease_id") String leaseId, List<Observation> observations) {
    }

    @GET
    @Operation(summary = "Every sighting of the lease (notification, webhook, poll) with message and trace ids")
    public Uni<Observations> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String keystoneToken, @PathParam("lease_id") String leaseId) {
        return auth.authenticate(authorization, keystoneToken)
                .flatMap(ok -> Panache.withSession(() -> LeaseSighting.<LeaseSighting>list(
                        "leaseId = ?1 order by seenAt, id", leaseId)))
                .map(rows -> new Observations(leaseId, rows.stream().map(r -> new Observation(r.eventId, r.eventType,
                        r.via, r.messageId, r.published, r.traceId, r.seenAt)).toList()));
    }
}
