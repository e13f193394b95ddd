package io.leaseflow.watcher.dedup;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.retention.BatchedPurge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes {@code lease_sighting} rows older than {@code leaseflow.retention.lease-sightings}: every notification and
 * webhook call adds one, for the lease timeline, and the table would otherwise grow for ever. {@code lease_observation}
 * (the dedup record of what was published) is never touched. Rows go in batches of {@code batch-size}
 * ({@link BatchedPurge}).
 */
@Startup
@ApplicationScoped
public class SightingRetention {
    private static final Logger LOG = Logger.getLogger(SightingRetention.class);
    // The lease_sighting(seen_at) index (V6) finds the batch in one range scan that stops at the limit; the rows go
    // by primary key. Not "ORDER BY id": with nothing old, a generic plan walks the whole primary key filtering on
    // seen_at. Not "id IN (SELECT ...)": the planner may hash-join that with a sequential scan of the table.
    static final String DELETE_BATCH = """
            DELETE FROM lease_sighting WHERE id = ANY(ARRAY(
                SELECT id FROM lease_sighting WHERE seen_at < $1 ORDER BY seen_at LIMIT $2 FOR UPDATE SKIP LOCKED))""";
    private final Pool pool;
    private final RetentionConfig config;
    private final Counter purged;

    public SightingRetention(Pool pool, RetentionConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        // registered at start so that the series exists (at 0) before the first purge
        this.purged = Counter.builder("leaseflow_watcher_lease_sightings_purged_total")
                .description("lease_sighting rows deleted by retention (leaseflow.retention.lease-sightings)")
                .register(registry);
    }

    @Scheduled(every = "${leaseflow.retention.interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            LOG.warnf("lease_sighting retention pass failed, next pass retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One pass with the configured retention; the rows deleted. */
    public Uni<Long> purge() {
        return purgeOlderThan(config.leaseSightings());
    }

    /** Deletes the rows older than now minus {@code retention}; zero or negative deletes nothing. */
    Uni<Long> purgeOlderThan(Duration retention) {
        return BatchedPurge.olderThan(pool, "lease_sighting", DELETE_BATCH, retention, config.batchSize(),
                purged::increment);
    }
}
