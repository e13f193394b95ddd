package io.leaseflow.deadletter;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Who replayed or discarded a dead letter, when, and what came of it. */
@Entity
@Table(name = "dead_letter_audit")
public class DeadLetterAudit extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dead_letter_id", nullable = false)
    public long deadLetterId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    public String outcome;

    static DeadLetterAudit of(long deadLetterId, String action, String actor, String outcome) {
        DeadLetterAudit a = new DeadLetterAudit();
        a.deadLetterId = deadLetterId;
        a.action = action;
        a.actor = actor;
        a.at = Instant.now();
        a.outcome = outcome;
        return a;
    }
}
