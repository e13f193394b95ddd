package io.leaseflow.watcher.dedup;

import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.contract.ObservedVia;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Remembers which lease facts were published, and every sighting of them ({@link LeaseSighting}, polls only when
 * they published). A fact's row commits only after Kafka acknowledged the event, so a
 * crash in between republishes it with the same CloudEvent id (consumers deduplicate on the id).
 */
@ApplicationScoped
public class ObservationLog {

    /** True if the fact was published before; then the sighting is counted and logged. */
    public Uni<Boolean> seenBefore(String eventId, String leaseId, String eventType, ObservedVia via,
            String messageId) {
        return Panache.withTransaction(() -> LeaseObservation.<LeaseObservation>findById(eventId)
                .flatMap(found -> {
                    if (found == null) {
                        return Uni.createFrom().item(false);
                    }
                    found.timesSeen++;
                    found.lastSeenAt = Instant.now();
                    return LeaseSighting.of(eventId, leaseId, eventType, via, messageId, false).persist()
                            .replaceWith(true);
                }));
    }

    /**
     * Publishes a fact at most once however many paths race to it: the row is inserted and the event published in
     * one transaction. A concurrent insert of the same key waits on the unique index until this transaction ends, so
     * the second path sees the fact as published (or, if the publication failed and rolled back, publishes it).
     * True if this call published.
     */
    public Uni<Boolean> publishOnce(String eventId, String leaseId, String eventType, ObservedVia via,
            String messageId, Supplier<Uni<Void>> publish) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("""
                        INSERT INTO lease_observation
                            (event_id, lease_id, event_type, first_via, first_seen_at, last_seen_at, times_seen)
                        VALUES (:id, :lease, :type, :via, now(), now(), 1)
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .setParameter("id", eventId).setParameter("lease", leaseId).setParameter("type", eventType)
                .setParameter("via", via.name())
                .executeUpdate()
                .flatMap(inserted -> inserted == 1
                        ? publish.get().replaceWith(true)
                        : LeaseObservation.update("timesSeen = timesSeen + 1, lastSeenAt = ?1 where eventId = ?2",
                                Instant.now(), eventId).replaceWith(false))
                .call(published -> published || via != ObservedVia.POLL
                        ? LeaseSighting.of(eventId, leaseId, eventType, via, messageId, published).persist()
                        : Uni.createFrom().voidItem())));
    }
}
