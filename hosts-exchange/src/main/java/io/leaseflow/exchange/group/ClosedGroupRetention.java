package io.leaseflow.exchange.group;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.retention.BatchedPurge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes groups closed longer ago than {@code leaseflow.exchange.closed-retention}, with their members' outputs and
 * capability URLs (cascade), a bounded batch per statement ({@link BatchedPurge}). A group
 * the partition owner or the expiry sweep holds right now is skipped ({@code SKIP LOCKED}) and taken next time, which
 * also makes replicas purging at once harmless. Groups stack-launcher created are usually deleted at lease end; this
 * catches the rest (groups made by hand, a lease end that never came).
 */
@ApplicationScoped
public class ClosedGroupRetention {

    private static final Logger LOG = Logger.getLogger(ClosedGroupRetention.class);
    // The partial closed_at index (V6) finds a batch in one range scan; the rows go by primary key ("= ANY(ARRAY(...))",
    // not "IN (SELECT ...)", which the planner may turn into a hash join over a sequential scan).
    static final String DELETE_BATCH = """
            DELETE FROM exchange_group WHERE id = ANY(ARRAY(
                SELECT id FROM exchange_group WHERE status <> 'OPEN' AND closed_at < $1
                ORDER BY closed_at LIMIT $2 FOR UPDATE SKIP LOCKED))""";

    private final Pool pool;
    private final ExchangeConfig config;
    private final ExchangeMetrics metrics;

    ClosedGroupRetention(Pool pool, ExchangeConfig config, ExchangeMetrics metrics) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(identity = "exchange-closed-retention", every = "${leaseflow.exchange.retention-interval:10m}",
            delayed = "${leaseflow.exchange.retention-interval:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge()
                .onFailure().invoke(e -> LOG.warnf("closed-group purge failed; retrying next time: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Purges every group past its retention; the number deleted (0 when retention is off). */
    public Uni<Long> purge() {
        return BatchedPurge.olderThan(pool, "exchange_group", DELETE_BATCH, config.closedRetention(),
                config.retentionBatchSize(), metrics::groupsPurged);
    }
}
