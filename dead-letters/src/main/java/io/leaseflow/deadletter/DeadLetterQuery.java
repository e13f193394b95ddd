package io.leaseflow.deadletter;

import java.time.Instant;

/** Filters and page of {@code GET /v1/dead-letters}; null means "any". Newest first, {@code marker} excluded. */
public record DeadLetterQuery(String topic, String reason, Instant since, Instant until, DeadLetterStatus status,
        Long marker, int limit) {
}
