package io.leaseflow.deadletter;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A dead letter as the operator API shows it: payloads as text when UTF-8, else base64. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(
        long id,
        String topic,
        @JsonProperty("partition") int partition,
        @JsonProperty("offset") long offset,
        String source,
        @JsonProperty("source_partition") Integer sourcePartition,
        @JsonProperty("source_offset") Long sourceOffset,
        @JsonProperty("message_id") String messageId,
        String key,
        String reason,
        String status,
        @JsonProperty("first_seen_at") Instant firstSeenAt,
        String payload,
        @JsonProperty("payload_encoding") String payloadEncoding,
        @JsonProperty("corrected_payload") String correctedPayload,
        Map<String, String> headers,
        @JsonProperty("replay_count") int replayCount,
        @JsonProperty("last_replay_at") Instant lastReplayAt,
        @JsonProperty("last_replay_outcome") String lastReplayOutcome,
        @JsonProperty("replayed_at") Instant replayedAt,
        @JsonProperty("replayed_by") String replayedBy,
        @JsonProperty("discarded_at") Instant discardedAt,
        @JsonProperty("discarded_by") String discardedBy,
        List<AuditEntry> audit) {

    /** One operator action. */
    public record AuditEntry(String action, String actor, Instant at, String outcome) {
    }

    public static DeadLetterView of(DeadLetter d, Map<String, String> headers, List<DeadLetterAudit> audit) {
        String text = DeadLetterHeaders.text(d.payload).orElse(null);
        return new DeadLetterView(d.id, d.dlqTopic, d.dlqPartition, d.dlqOffset, d.source, d.sourcePartition,
                d.sourceOffset, d.messageId, d.recordKey, d.reason, d.status.name(), d.firstSeenAt,
                text != null ? text : Base64.getEncoder().encodeToString(d.payload), text != null ? "utf-8" : "base64",
                d.correctedPayload == null ? null : DeadLetterHeaders.text(d.correctedPayload)
                        .orElseGet(() -> DeadLetterHeaders.BASE64_PREFIX
                                + Base64.getEncoder().encodeToString(d.correctedPayload)),
                headers, d.replayCount, d.lastReplayAt, d.lastReplayOutcome, d.replayedAt, d.replayedBy,
                d.discardedAt, d.discardedBy,
                audit == null ? null : audit.stream().map(a -> new AuditEntry(a.action, a.actor, a.at, a.outcome))
                        .toList());
    }
}
