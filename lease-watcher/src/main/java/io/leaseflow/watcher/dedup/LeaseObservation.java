package io.leaseflow.watcher.dedup;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The first observation of a (lease, event type) fact; later observations only count. */
@Entity
@Table(name = "lease_observation")
public class LeaseObservation extends PanacheEntityBase {
    /** The CloudEvent id, deterministic per (lease id, type). */
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "lease_id", nullable = false)
    public String leaseId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "first_via", nullable = false)
    public String firstVia;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "times_seen", nullable = false)
    public long timesSeen;
}
