package io.leaseflow.launcher.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.leaseflow.launcher.problem.Problem;
import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /v1/leases/{lease_id}/timeline}: why did my stack (not) launch? Every observation of the lease, every
 * event emitted, every plan transition, every Heat call and the exchange groups, in time order, with trace ids.
 */
@Path("/v1/leases/{lease_id}/timeline")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "timeline")
public class LeaseTimelineResource {
    private final TimelineAccess access;
    private final LocalTimeline local;
    private final PeerTimelines peers;

    public LeaseTimelineResource(TimelineAccess access, LocalTimeline local, PeerTimelines peers) {
        this.access = access;
        this.local = local;
        this.peers = peers;
    }

    @GET
    @Operation(summary = "The lease's timeline: observations, lease and stack events, plan transitions, Heat calls, "
            + "exchange groups; partial (with the reason) when lease-watcher or hosts-exchange did not answer")
    @APIResponse(responseCode = "200", description = "Entries in time order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeaseTimeline.class)))
    @APIResponse(responseCode = "401", description = "No or invalid credentials (X-Auth-Token, or Authorization: "
            + "Bearer <operator secret>)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The lease's plans belong to another project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "leaseflow knows nothing of this lease (for you)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LeaseTimeline> timeline(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String keystoneToken, @PathParam("lease_id") String leaseId) {
        return access.authenticate(authorization, keystoneToken).flatMap(reader -> {
            LaunchSpans.ids(leaseId, null, null, null);
            return local.read(leaseId).flatMap(mine -> {
                List<TimelineEntry> entries;
                if (reader.admin()) {
                    entries = new ArrayList<>(mine.entries());
                } else {
                    Set<String> own = mine.plans().stream().filter(p -> p.projectId().equals(reader.projectId()))
                            .map(LocalTimeline.PlanOwner::planId).collect(Collectors.toSet());
                    if (mine.plans().isEmpty()) {
                        throw notFound(leaseId);
                    }
                    if (own.isEmpty()) {
                        throw new ProblemException(403, "lease-not-yours", "Not your lease",
                                "the plans of lease " + leaseId + " belong to another project");
                    }
                    entries = new ArrayList<>(LocalTimeline.ofPlans(mine.entries(), own));
                }
                return Uni.combine().all().unis(peers.watcher(leaseId), peers.exchange(leaseId)).asTuple()
                        .map(parts -> {
                            List<LeaseTimeline.Unavailable> missing = new ArrayList<>();
                            for (PeerTimelines.Part part : List.of(parts.getItem1(), parts.getItem2())) {
                                entries.addAll(part.entries());
                                if (part.unavailable() != null) {
                                    missing.add(part.unavailable());
                                }
                            }
                            if (entries.isEmpty() && missing.isEmpty()) {
                                throw notFound(leaseId);
                            }
                            return LeaseTimeline.of(leaseId, missing, entries);
                        });
            });
        });
    }

    private static ProblemException notFound(String leaseId) {
        return new ProblemException(404, "lease-unknown", "Lease unknown",
                "leaseflow has no plan, observation or exchange group of lease " + leaseId);
    }
}
