package io.leaseflow.launcher.timeline;

import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /v1/leases/{lease_id}/timeline}: every entry in time order. {@code partial} is true when a peer service
 * did not answer; {@code unavailable} says which and why, and its entries are missing.
 */
public record LeaseTimeline(@JsonProperty("lease_id") String leaseId, boolean partial,
        List<Unavailable> unavailable, List<TimelineEntry> entries) {

    /** A service whose part is missing. */
    public record Unavailable(String service, String reason) {
    }

    static final Comparator<TimelineEntry> ORDER = Comparator.comparing(TimelineEntry::time)
            .thenComparingInt(e -> TimelineEntry.Kind.rank(e.kind()));

    static LeaseTimeline of(String leaseId, List<Unavailable> unavailable, List<TimelineEntry> entries) {
        return new LeaseTimeline(leaseId, !unavailable.isEmpty(), List.copyOf(unavailable),
                entries.stream().sorted(ORDER).toList());
    }
}
