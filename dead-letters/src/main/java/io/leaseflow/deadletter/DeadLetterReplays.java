package io.leaseflow.deadletter;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

/**
 * Replays and discards dead letters on an operator's word, records the outcome and the audit row, and counts them.
 * A replayed letter is never processed again (a second replay answers the stored outcome); the service's own dedup
 * makes even a concurrent second replay harmless.
 */
@ApplicationScoped
public class DeadLetterReplays {
    private static final Logger LOG = Logger.getLogger(DeadLetterReplays.class);
    private final DeadLetterStore store;
    private final DeadLetterReplayer replayer;
    private final DeadLetterMetrics metrics;
    private final ObjectMapper json;

    public DeadLetterReplays(DeadLetterStore store, DeadLetterReplayer replayer, DeadLetterMetrics metrics,
            ObjectMapper json) {
        this.store = store;
        this.replayer = replayer;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * Replays the letter with its original payload, or with {@code corrected} if given. Fails with a problem: 404
     * unknown, 409 discarded, 422 still unusable (the letter stays ACTIVE with the new reason), 503 transient.
     */
    public Uni<DeadLetter> replay(long id, byte[] corrected, Operator operator) {
        return existing(id).flatMap(letter -> {
            if (letter.status == DeadLetterStatus.DISCARDED) {
                return Uni.createFrom().failure(DeadLetterProblem.of(409, "dead-letter-discarded",
                        "Dead letter discarded", "dead letter " + id + " was discarded by " + letter.discardedBy
                                + " and cannot be replayed", Map.of("dead_letter_id", id)));
            }
            if (letter.status == DeadLetterStatus.REPLAYED) {
                LOG.infof("dead letter %d replay by %s ignored: replayed before (%s)", id, operator.name(),
                        letter.lastReplayOutcome);
                return Uni.createFrom().item(letter);
            }
            byte[] payload = corrected == null ? letter.payload : corrected;
            return Uni.createFrom().deferred(() -> replayer.replay(letter.source, headers(letter), payload))
                    .onFailure().recoverWithUni(failure -> store.replayed(id, DeadLetterStatus.ACTIVE,
                            "failed: " + failure.getMessage(), null, corrected, operator.name())
                            .invoke(() -> counted(letter, operator, "failed", failure.getMessage()))
                            .flatMap(stored -> Uni.createFrom().failure(DeadLetterProblem.of(503,
                                    "replay-unavailable", "Replay not possible now", "a dependency failed: "
                                            + failure.getMessage() + "; the dead letter stays active",
                                    Map.of("dead_letter_id", id)))))
                    .flatMap(result -> result.stillBad()
                            ? store.replayed(id, DeadLetterStatus.ACTIVE, "still-bad: " + result.outcome(),
                                    result.outcome(), corrected, operator.name())
                                    .invoke(() -> counted(letter, operator, "still_bad", result.outcome()))
                                    .flatMap(stored -> Uni.createFrom().failure(DeadLetterProblem.of(422,
                                            "dead-letter-still-unprocessable", "Still unprocessable",
                                            result.outcome(), Map.of("dead_letter_id", id, "status", "ACTIVE"))))
                            : store.replayed(id, DeadLetterStatus.REPLAYED, result.outcome(), null, corrected,
                                    operator.name())
                                    .invoke(() -> counted(letter, operator, result.outcome(), null))
                                    .call(this::recount));
        });
    }

    /** Discards an ACTIVE letter (kept for audit); discarding a discarded one again changes nothing. */
    public Uni<Void> discard(long id, Operator operator) {
        return existing(id).flatMap(letter -> {
            if (letter.status == DeadLetterStatus.REPLAYED) {
                return Uni.createFrom().failure(DeadLetterProblem.of(409, "dead-letter-replayed",
                        "Dead letter replayed", "dead letter " + id + " was replayed (" + letter.lastReplayOutcome
                                + ") and has nothing left to discard", Map.of("dead_letter_id", id)));
            }
            return store.discard(id, operator.name()).invoke(discarded -> {
                if (discarded) {
                    metrics.discarded(letter.dlqTopic);
                    LOG.infof("dead letter %d from %s discarded by %s", id, letter.source, operator.name());
                }
            }).call(this::recount).replaceWithVoid();
        });
    }

    public Uni<DeadLetter> existing(long id) {
        return store.find(id).onItem().ifNull().failWith(() -> DeadLetterProblem.of(404, "dead-letter-not-found",
                "Dead letter not found", "no dead letter " + id));
    }

    private void counted(DeadLetter letter, Operator operator, String outcome, String reason) {
        metrics.replayed(letter.dlqTopic, outcome);
        LOG.infof("dead letter %d from %s replayed by %s: %s%s", letter.id, letter.source, operator.name(), outcome,
                reason == null ? "" : " (" + reason + ")");
    }

    /** The gauge follows at once; it is recounted on a timer anyway, so a failure here does not matter. */
    private Uni<Void> recount() {
        return metrics.recount().onFailure().recoverWithNull();
    }

    Map<String, String> headers(DeadLetter letter) {
        try {
            return json.readValue(letter.headers, new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            return Map.of();
        }
    }
}
