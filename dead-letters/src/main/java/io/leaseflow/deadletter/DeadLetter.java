package io.leaseflow.deadletter;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One record of a dead-letter topic, as the operator API shows and replays it. The Kafka record stays where it is;
 * (dlq topic, partition, offset) is unique, so reading the topic again never duplicates a row.
 */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dlq_topic", nullable = false)
    public String dlqTopic;

    @Column(name = "dlq_partition", nullable = false)
    public int dlqPartition;

    @Column(name = "dlq_offset", nullable = false)
    public long dlqOffset;

    /** The topic or queue the failed message came from. */
    @Column(nullable = false)
    public String source;

    @Column(name = "source_partition")
    public Integer sourcePartition;

    @Column(name = "source_offset")
    public Long sourceOffset;

    @Column(name = "message_id")
    public String messageId;

    @Column(name = "record_key")
    public String recordKey;

    @Column(nullable = false)
    public byte[] payload;

    /** The record's headers as a JSON object (name to text, or to {@code base64:...} if not UTF-8). */
    @Column(nullable = false)
    public String headers;

    @Column(nullable = false)
    public String reason;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeadLetterStatus status;

    @Column(name = "replay_count", nullable = false)
    public int replayCount;

    @Column(name = "last_replay_at")
    public Instant lastReplayAt;

    @Column(name = "last_replay_outcome")
    public String lastReplayOutcome;

    @Column(name = "corrected_payload")
    public byte[] correctedPayload;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    @Column(name = "replayed_by")
    public String replayedBy;

    @Column(name = "discarded_at")
    public Instant discardedAt;

    @Column(name = "discarded_by")
    public String discardedBy;
}
