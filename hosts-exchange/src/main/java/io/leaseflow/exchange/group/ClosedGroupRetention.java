package io.leaseflow.exchange.group;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes groups closed longer ago than {@code leaseflow.exchange.closed-retention}, with their members' outputs and
 * capability URLs (cascade), a bounded batch per statement so a backlog never holds one long transaction. A group
 * the partition owner or the expiry sweep holds right now is skipped ({@code SKIP LOCKED}) and taken next time, which
 * also makes replicas purging at once harmless. Groups stack-launcher created are usually deleted at lease end; this
 * catches the rest (groups made by hand, a lease end that never came).
 */
@ApplicationScoped
public class ClosedGroupRetention {

    private static final Logger LOG = Logger.getLogger(ClosedGroupRetention.class);

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
    public Uni<Integer> purge() {
        if (config.closedRetention().isZero() || config.closedRetention().isNegative()) {
            return Uni.createFrom().item(0);
        }
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.closedRetention());
        return purgeFrom(cutoff, 0).invoke(total -> {
            if (total > 0) {
                LOG.infof("deleted %d groups closed before %s (closed-retention %s)", total, cutoff,
                        config.closedRetention());
            }
        });
    }

    // The partial closed_at index (V6) finds a batch in one range scan; the rows go by primary key ("= ANY(ARRAY(...))",
    // not "IN (SELECT ...)", which the planner may turn into a hash join over a sequential scan).
    private Uni<Integer> purgeFrom(OffsetDateTime cutoff, int soFar) {
        int batch = config.retentionBatchSize();
        return pool.preparedQuery("""
                DELETE FROM exchange_group WHERE id = ANY(ARRAY(
                    SELECT id FROM exchange_group WHERE status <> 'OPEN' AND closed_at < $1
                    ORDER BY closed_at LIMIT $2 FOR UPDATE SKIP LOCKED))""")
                .execute(Tuple.of(cutoff, batch))
                .flatMap(rows -> {
                    int deleted = rows.rowCount();
                    if (deleted > 0) {
                        metrics.groupsPurged(deleted);
                    }
                    return deleted < batch ? Uni.createFrom().item(soFar + deleted)
                            : purgeFrom(cutoff, soFar + deleted);
                });
    }
}
