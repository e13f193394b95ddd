package io.leaseflow.deadletter;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * What a service does to replay one of its dead letters: hand the payload to the same intake live traffic uses
 * (same dedup), without writing a new dead-letter record when it fails again. Exactly one bean per service.
 */
public interface DeadLetterReplayer {

    /**
     * @param source the topic or queue the letter came from; {@code headers} its record's headers as text
     * @return {@link ReplayResult#applied} when processed (with or without a new effect), or
     *         {@link ReplayResult#stillBad} with the reason when the data is still unusable; a failed Uni for a
     *         transient failure (the letter stays as it is and can be replayed later)
     */
    Uni<ReplayResult> replay(String source, Map<String, String> headers, byte[] payload);
}
