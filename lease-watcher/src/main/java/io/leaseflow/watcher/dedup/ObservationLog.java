package io.leaseflow.watcher.dedup;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.contract.ObservedVia;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Remembers which lease facts were published. A fact is recorded only after Kafka acknowledged it, so a crash in
 * between republishes it with the same CloudEvent id (at least once; consumers deduplicate on the id).
 */
@ApplicationScoped
public class ObservationLog {

    /** True if the fact was published before; then the sighting is counted. */
    public Uni<Boolean> seenBefore(String eventId) {
        return Panache.withTransaction(() -> LeaseObservation.<LeaseObservation>findById(eventId)
                .map(found -> {
                    if (found == null) {
                        return false;
                    }
                    found.timesSeen++;
                    found.lastSeenAt = Instant.now();
                    return true;
                }));
    }

    public Uni<Void> recordPublished(String eventId, String leaseId, String eventType, ObservedVia via) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("""
                        INSERT INTO lease_observation
                            (event_id, lease_id, event_type, first_via, first_seen_at, last_seen_at, times_seen)
                        VALUES (:id, :lease, :type, :via, now(), now(), 1)
                        ON CONFLICT (event_id) DO UPDATE
                            SET times_seen = lease_observation.times_seen + 1, last_seen_at = now()
                        """)
                .setParameter("id", eventId).setParameter("lease", leaseId).setParameter("type", eventType)
                .setParameter("via", via.name())
                .executeUpdate())).replaceWithVoid();
    }
}
