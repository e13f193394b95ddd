package io.leaseflow.watcher.dedup;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.trace.LeaseSpans;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One sighting of a lease fact (a notification, a webhook call, a poll that published), for the lease timeline. */
@Entity
@Table(name = "lease_sighting")
public class LeaseSighting extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "lease_id", nullable = false)
    public String leaseId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(nullable = false)
    public String via;

    @Column(name = "message_id")
    public String messageId;

    @Column(nullable = false)
    public boolean published;

    @Column(name = "trace_id")
    public String traceId;

    @Column(name = "seen_at", nullable = false)
    public Instant seenAt;

    static LeaseSighting of(String eventId, String leaseId, String eventType, ObservedVia via, String messageId,
            boolean published, Instant seenAt) {
        LeaseSighting s = new LeaseSighting();
        s.eventId = eventId;
        s.leaseId = storable(leaseId);
        s.eventType = storable(eventType);
        s.via = via.name();
        s.messageId = storable(messageId);
        s.published = published;
        s.traceId = LeaseSpans.traceId();
        s.seenAt = seenAt;
        return s;
    }

    /**
     * PostgreSQL text cannot hold U+0000, which a malformed notification's ids may carry: it is stored as U+FFFD,
     * so that recording the sighting (which only explains what was seen) never fails the notification.
     */
    static String storable(String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }
}
