package io.leaseflow.launcher.heat;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.retention.BatchedPurge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes {@code heat_call} rows older than {@code leaseflow.retention.heat-calls}: the table gets a row per request to
 * Heat, the progress poller's status reads included, and would otherwise grow for ever. Rows go in batches of
 * {@code batch-size}, each its own statement and transaction, until a batch comes back short, so a large backlog never
 * holds one long transaction or many locks. Replicas may purge at the same time: {@code SKIP LOCKED} hands each the
 * rows no other is deleting, so they share the work instead of waiting on (or deadlocking with) each other.
 */
@ApplicationScoped
public class HeatCallRetention {
    private static final Logger LOG = Logger.getLogger(HeatCallRetention.class);
    // The heat_call(at) index (V7) finds the batch in one range scan that stops at the limit; the
    // rows go by primary key. Not "ORDER BY id": with nothing old, a generic plan walks the whole primary key
    // filtering on at. Not "id IN (SELECT ...)": the planner may hash-join that with a sequential scan of the table.
    static final String DELETE_BATCH = """
            DELETE FROM heat_call WHERE id = ANY(ARRAY(
                SELECT id FROM heat_call WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED))""";
    private final Pool pool;
    private final RetentionConfig config;
    private final LauncherMetrics metrics;

    public HeatCallRetention(Pool pool, RetentionConfig config, LauncherMetrics metrics) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${leaseflow.retention.interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            LOG.warnf("heat_call retention pass failed, next pass retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One pass with the configured retention; the rows deleted. */
    public Uni<Long> purge() {
        return purgeOlderThan(config.heatCalls());
    }

    /** Deletes the rows older than now minus {@code retention}; zero or negative deletes nothing. */
    Uni<Long> purgeOlderThan(Duration retention) {
        return BatchedPurge.olderThan(pool, "heat_call", DELETE_BATCH, retention, config.batchSize(),
                metrics::heatCallsPurged);
    }
}
