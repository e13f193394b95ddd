package io.leaseflow.launcher.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.Topics;
import io.leaseflow.launcher.timeline.TimelineEntry.Kind;
import io.leaseflow.openstack.KeystoneSession;
import io.smallrye.mutiny.Uni;

/**
 * The parts of a lease's timeline other services hold: lease-watcher's sightings (and the lease events they
 * published), hosts-exchange's groups for the lease. A peer that fails or exceeds {@code peer-timeout} leaves its
 * part out with the reason; the timeline is then marked partial rather than failing.
 */
@ApplicationScoped
public class PeerTimelines {
    static final String WATCHER = "lease-watcher";
    static final String EXCHANGE = "hosts-exchange";
    private static final Logger LOG = Logger.getLogger(PeerTimelines.class);
    private final LeaseWatcherApi watcher;
    private final HostsExchangeApi exchange;
    private final KeystoneSession keystone;
    private final TimelineConfig config;

    public PeerTimelines(@RestClient LeaseWatcherApi watcher, @RestClient HostsExchangeApi exchange,
            KeystoneSession keystone, TimelineConfig config) {
        this.watcher = watcher;
        this.exchange = exchange;
        this.keystone = keystone;
        this.config = config;
    }

    /** A peer's entries, or why there are none. */
    public record Part(List<TimelineEntry> entries, LeaseTimeline.Unavailable unavailable) {
        static Part missing(String service, Throwable failure) {
            return new Part(List.of(), new LeaseTimeline.Unavailable(service, describe(failure)));
        }
    }

    /** lease-watcher, asked with leaseflow's service token (it holds one of the watcher's allowed roles). */
    public Uni<Part> watcher(String leaseId) {
        return keystone.serviceToken()
                .flatMap(token -> watcher.observations(token.value(), leaseId))
                .ifNoItem().after(config.peerTimeout()).fail()
                .map(body -> new Part(observations(body), null))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("lease=%s timeline without lease-watcher's part: %s", leaseId, describe(failure));
                    return Part.missing(WATCHER, failure);
                });
    }

    public Uni<Part> exchange(String leaseId) {
        return exchange.groupsOfLease(leaseId)
                .ifNoItem().after(config.peerTimeout()).fail()
                .map(body -> new Part(groups(body), null))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("lease=%s timeline without hosts-exchange's part: %s", leaseId, describe(failure));
                    return Part.missing(EXCHANGE, failure);
                });
    }

    static List<TimelineEntry> observations(JsonNode body) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (JsonNode o : body.path("observations")) {
            Instant at = Instant.parse(o.path("seen_at").asText());
            String via = o.path("via").asText();
            String type = o.path("event_type").asText();
            String messageId = o.path("message_id").asText(null);
            boolean published = o.path("published").asBoolean();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("via", via);
            details.put("event_type", type);
            details.put("message_id", messageId);
            details.put("event_id", o.path("event_id").asText());
            details.put("published", published);
            String trace = o.path("trace_id").asText(null);
            entries.add(new TimelineEntry(at, WATCHER, Kind.OBSERVATION.wire, via + " " + type
                    + (messageId == null ? "" : " (message " + messageId + ")")
                    + (published ? "" : ": duplicate, already published"), details, trace));
            if (published) {
                entries.add(new TimelineEntry(at, WATCHER, Kind.LEASE_EVENT.wire, "published " + type + " to "
                        + Topics.LEASE_EVENTS, Map.of("ce_id", o.path("event_id").asText(), "type", type,
                                "topic", Topics.LEASE_EVENTS), trace));
            }
        }
        return entries;
    }

    static List<TimelineEntry> groups(JsonNode body) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (JsonNode g : body) {
            String id = g.path("id").asText();
            String name = g.path("name").asText();
            int size = g.path("size").asInt();
            int reported = g.path("reported").asInt();
            String status = g.path("status").asText();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("group_id", id);
            details.put("name", name);
            details.put("size", size);
            details.put("deadline", g.path("deadline").asText(null));
            details.put("status", status);
            details.put("reported", reported);
            entries.add(new TimelineEntry(Instant.parse(g.path("created_at").asText()), EXCHANGE,
                    Kind.EXCHANGE_GROUP.wire, "exchange group " + name + " created for " + size + " members",
                    details, null));
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("group_id", id);
            progress.put("status", status);
            progress.put("reported", reported);
            progress.put("failed", g.path("failed").asInt());
            progress.put("size", size);
            if (g.hasNonNull("closed_at")) {
                entries.add(new TimelineEntry(Instant.parse(g.path("closed_at").asText()), EXCHANGE,
                        Kind.EXCHANGE_GROUP_CLOSED.wire, "exchange group " + name + " " + status + " (" + reported
                                + "/" + size + " reported)", progress, null));
            }
        }
        return entries;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            return "answered HTTP " + wae.getResponse().getStatus();
        }
        if (failure instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within the timeout";
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
