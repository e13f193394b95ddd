package io.leaseflow.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes the rows of one table older than a retention, in bounded batches: each batch is one statement (its own short
 * transaction), repeated until a batch comes back short, so a large backlog never holds one long transaction or many
 * locks. The statement takes {@code $1} = the cutoff and {@code $2} = the batch size; with {@code FOR UPDATE SKIP
 * LOCKED} in its inner select, replicas purging at once share the rows instead of waiting on each other.
 */
public final class BatchedPurge {
    private static final Logger LOG = Logger.getLogger(BatchedPurge.class);

    private BatchedPurge() {
    }

    /**
     * Runs {@code deleteBatch} until it deletes fewer than {@code batchSize} rows; the rows deleted in all.
     * {@code onBatch} gets each batch's count (a counter). Zero or negative {@code retention} deletes nothing.
     */
    public static Uni<Long> olderThan(Pool pool, String table, String deleteBatch, Duration retention, int batchSize,
            LongConsumer onBatch) {
        if (retention.isZero() || retention.isNegative()) {
            return Uni.createFrom().item(0L);
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
        int batch = Math.max(1, batchSize); // 0 would delete nothing and loop for ever
        return Multi.createBy().repeating()
                .uni(() -> pool.preparedQuery(deleteBatch).execute(Tuple.of(cutoff, batch))
                        .map(rows -> (long) rows.rowCount())
                        .invoke(onBatch::accept))
                .whilst(deleted -> deleted == batch)
                .collect().with(Collectors.summingLong(Long::longValue))
                .invoke(total -> {
                    if (total > 0) {
                        LOG.infof("%s: purged %d rows older than %s (retention %s)", table, total, cutoff, retention);
                    }
                });
    }
}
