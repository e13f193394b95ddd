package io.leaseflow.launcher.events;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A stack event waiting in the transactional outbox; written with the transition, relayed to Kafka afterwards. */
@Entity
@Table(name = "stack_event_outbox")
public class StackEventRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    /** The CloudEvent id: the relay may send a row twice (crash before marking it), always with this id. */
    @Column(nullable = false)
    public String id;

    @Column(name = "plan_id", nullable = false)
    public String planId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The W3C traceparent of the transition that wrote the row; the relayed record continues its trace. */
    public String traceparent;

    @Column(name = "published_at")
    public Instant publishedAt;

    public static Uni<List<StackEventRecord>> pending(int limit) {
        return find("publishedAt is null order by seq").page(0, limit).list();
    }

    public static Uni<Integer> markPublished(List<Long> seqs) {
        return update("publishedAt = ?1 where seq in ?2", Instant.now(), seqs);
    }
}
