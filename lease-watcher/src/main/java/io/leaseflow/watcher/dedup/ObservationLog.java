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
        Instant seen = Instant.now();
        return Panache.withTransaction(() -> LeaseObservation.update(
                "timesSeen = timesSeen + 1, lastSeenAt = ?1 where eventId = ?2", seen, eventId)
                .flatMap(rows -> rows == 0 ? Uni.createFrom().item(false)
                        : sighting(eventId, leaseId, eventType, via, messageId, false, seen).replaceWith(true)));
    }

    /** One {@code lease_sighting} row, in the caller's transaction (a plain insert: no entity stays managed). */
    private static Uni<Integer> sighting(String eventId, String leaseId, String eventType, ObservedVia via,
            String messageId, boolean published, Instant seen) {
        LeaseSighting s = LeaseSighting.of(eventId, leaseId, eventType, via, messageId, published, seen);
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        INSERT INTO lease_sighting
                            (lease_id, event_type, event_id, via, message_id, published, trace_id, seen_at)
                        VALUES (:lease, :type, :id, :via, :message, :published, :trace, :seen)
                        """)
                .setParameter("lease", s.leaseId).setParameter("type", s.eventType).setParameter("id", s.eventId)
                .setParameter("via", s.via).setParameter("message", s.messageId)
                .setParameter("published", s.published).setParameter("trace", s.traceId)
                .setParameter("seen", s.seenAt)
                .executeUpdate());
    }

    /**
     * Publishes a fact at most once however many paths race to it: the row is inserted and the event published in
     * one transaction. A concurrent insert of the same key waits on the unique index until this transaction ends, so
     * the second path sees the fact as published (or, if the publication failed and rolled back, publishes it).
     * True if this call published.
     */
    public Uni<Boolean> publishOnce(String eventId, String leaseId, String eventType, ObservedVia via,
            String messageId, Supplier<Uni<Void>> publish) {
        // Sighted now, before the Kafka write: a consumer may act on the event before Kafka's ack comes back here.
        Instant seen = Instant.now();
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
                        ? sighting(eventId, leaseId, eventType, via, messageId, published, seen)
                        : Uni.createFrom().voidItem())));
    }
}
