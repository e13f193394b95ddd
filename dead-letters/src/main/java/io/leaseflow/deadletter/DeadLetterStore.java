package io.leaseflow.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The dead-letter table: idempotent inserts from the DLQ topics, filtered pages, and the operators' changes. */
@ApplicationScoped
public class DeadLetterStore {
    private final ObjectMapper json;

    public DeadLetterStore(ObjectMapper json) {
        this.json = json;
    }

    /** True if the record was new. */
    public Uni<Boolean> record(ConsumerRecord<String, byte[]> record, Map<String, String> headers) {
        String headersJson;
        try {
            headersJson = json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO dead_letter (dlq_topic, dlq_partition, dlq_offset, source, source_partition, source_offset,
                    message_id, record_key, payload, headers, reason, first_seen_at, status, replay_count)
                VALUES (:topic, :partition, :offset, :source, :sourcePartition, :sourceOffset, :messageId, :key,
                    :payload, :headers, :reason, :seen, 'ACTIVE', 0)
                ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING
                """)
                .setParameter("topic", bounded(record.topic()))
                .setParameter("partition", record.partition())
                .setParameter("offset", record.offset())
                .setParameter("source", bounded(source(record, headers)))
                .setParameter("sourcePartition", integer(headers.get(DeadLetterHeaders.SMALLRYE_PARTITION)))
                .setParameter("sourceOffset", longValue(headers.get(DeadLetterHeaders.SMALLRYE_OFFSET)))
                .setParameter("messageId", bounded(headers.getOrDefault(DeadLetterHeaders.MESSAGE_ID,
                        headers.get("ce_id"))))
                .setParameter("key", storable(record.key()))
                .setParameter("payload", payload(record))
                .setParameter("headers", headersJson)
                .setParameter("reason", storable(reason(headers)))
                .setParameter("seen", record.timestamp() > 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now())
                .executeUpdate()))
                .map(inserted -> inserted == 1);
    }

    /**
     * The record's value; for a value that could not even be deserialized (SmallRye then dead-letters a null), the
     * original bytes SmallRye keeps in a header.
     */
    static byte[] payload(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null && record.value().length > 0) {
            return record.value();
        }
        for (String name : DeadLetterHeaders.ORIGINAL_VALUE) {
            var header = record.headers().lastHeader(name);
            if (header != null && header.value() != null) {
                return header.value();
            }
        }
        return new byte[0];
    }

    public String source(ConsumerRecord<String, byte[]> record, Map<String, String> headers) {
        String source = headers.getOrDefault(DeadLetterHeaders.SMALLRYE_TOPIC, headers.getOrDefault(
                DeadLetterHeaders.ORIGIN, headers.get("deserialization-failure-topic")));
        if (source != null && !source.isBlank()) {
            return source;
        }
        return record.topic().endsWith(".dlq") ? record.topic().substring(0, record.topic().length() - 4)
                : record.topic();
    }

    public String reason(Map<String, String> headers) {
        String reason = headers.getOrDefault(DeadLetterHeaders.REASON, headers.get(DeadLetterHeaders.SMALLRYE_REASON));
        return reason == null || reason.isBlank() ? "no reason given" : reason;
    }

    public Uni<DeadLetter> find(long id) {
        return Panache.withSession(() -> DeadLetter.findById(id));
    }

    public Uni<List<DeadLetterAudit>> audit(long id) {
        return Panache.withSession(() -> DeadLetterAudit.<DeadLetterAudit>find("deadLetterId = ?1 order by id", id)
                .list());
    }

    /** Up to {@code limit + 1} rows, so the caller knows whether there is a next page. */
    public Uni<List<DeadLetter>> page(DeadLetterQuery q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (q.topic() != null) {
            where.add("(dlqTopic = :topic or source = :topic)");
            params.put("topic", q.topic());
        }
        if (q.reason() != null) {
            where.add("lower(reason) like :reason");
            params.put("reason", "%" + q.reason().toLowerCase() + "%");
        }
        if (q.since() != null) {
            where.add("firstSeenAt >= :since");
            params.put("since", q.since());
        }
        if (q.until() != null) {
            where.add("firstSeenAt < :until");
            params.put("until", q.until());
        }
        if (q.status() != null) {
            where.add("status = :status");
            params.put("status", q.status());
        }
        if (q.marker() != null) {
            where.add("id < :marker");
            params.put("marker", q.marker());
        }
        String hql = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + "order by id desc";
        return Panache.withSession(() -> DeadLetter.<DeadLetter>find(hql, params).range(0, q.limit()).list());
    }

    /** Stores what a replay came to, with its audit row, in one transaction. */
    public Uni<DeadLetter> replayed(long id, DeadLetterStatus status, String outcome, String newReason,
            byte[] corrected, String actor) {
        return Panache.withTransaction(() -> DeadLetter.<DeadLetter>findById(id).flatMap(letter -> {
            Instant now = Instant.now();
            letter.replayCount++;
            letter.lastReplayAt = now;
            letter.lastReplayOutcome = outcome;
            if (corrected != null) {
                letter.correctedPayload = corrected;
            }
            if (newReason != null) {
                letter.reason = newReason;
            }
            if (status == DeadLetterStatus.REPLAYED && letter.status == DeadLetterStatus.ACTIVE) {
                letter.status = DeadLetterStatus.REPLAYED;
                letter.replayedAt = now;
                letter.replayedBy = actor;
            }
            return DeadLetterAudit.of(id, corrected == null ? "REPLAY" : "REPLAY_CORRECTED", actor, outcome)
                    .persist().replaceWith(letter);
        }));
    }

    /** Marks the letter discarded; false if it was not {@code ACTIVE}. */
    public Uni<Boolean> discard(long id, String actor) {
        return Panache.withTransaction(() -> DeadLetter.update(
                "status = ?1, discardedAt = ?2, discardedBy = ?3 where id = ?4 and status = ?5",
                DeadLetterStatus.DISCARDED, Instant.now(), actor, id, DeadLetterStatus.ACTIVE)
                .flatMap(updated -> updated == 0 ? Uni.createFrom().item(false)
                        : DeadLetterAudit.of(id, "DISCARD", actor, null).persist().replaceWith(true)));
    }

    /** ACTIVE dead letters per DLQ topic, zero for topics that have only others. */
    public Uni<Map<String, Long>> activeByTopic() {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                "SELECT dlq_topic, count(*) FILTER (WHERE status = 'ACTIVE') FROM dead_letter GROUP BY dlq_topic",
                Object[].class).getResultList()))
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    for (Object[] row : rows) {
                        counts.put((String) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                });
    }

    /** VARCHAR(255) columns: an over-long value must not make the insert fail forever (and block the consumer). */
    private static String bounded(String value) {
        return storable(value == null || value.length() <= 255 ? value : value.substring(0, 255));
    }

    /**
     * PostgreSQL text cannot hold U+0000, and a poison record's key or headers may carry it: stored as U+FFFD, so the
     * letter is kept (its payload is bytea, byte for byte) instead of blocking the dead-letter consumer.
     */
    static String storable(String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longValue(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
