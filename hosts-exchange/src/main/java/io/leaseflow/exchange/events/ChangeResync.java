package io.leaseflow.exchange.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.exchange.inputs.GroupChangeNotifier;
import io.leaseflow.exchange.report.Decision;
import io.leaseflow.exchange.report.PendingDecisions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The timer half of "event path plus resync": events can be lost (a replica's consumer not yet assigned, a publish
 * that failed after commit), so parked polls and pending writes are compared with the database now and then.
 */
@ApplicationScoped
public class ChangeResync {

    private static final Logger LOG = Logger.getLogger(ChangeResync.class);
    private static final Duration DECISION_GRACE = Duration.ofSeconds(1);

    private final Pool pool;
    private final GroupChangeNotifier notifier;
    private final PendingDecisions pending;

    ChangeResync(Pool pool, GroupChangeNotifier notifier, PendingDecisions pending) {
        this.pool = pool;
        this.notifier = notifier;
        this.pending = pending;
    }

    @Scheduled(identity = "exchange-change-resync", every = "${leaseflow.exchange.resync-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resync() {
        return parkedPolls().chain(this::pendingDecisions)
                .onFailure().invoke(e -> LOG.warnf("resync failed; retrying next tick: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> parkedPolls() {
        Set<UUID> watched = notifier.watchedGroups();
        if (watched.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT id, status, revision FROM exchange_group WHERE id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(watched.toArray(UUID[]::new)))
                .invoke(rows -> {
                    Map<UUID, GroupChangeNotifier.Current> current = new HashMap<>();
                    rows.forEach(row -> current.put(row.getUUID("id"), new GroupChangeNotifier.Current(
                            "OPEN".equals(row.getString("status")), row.getLong("revision"))));
                    notifier.resync(current, watched);
                })
                .replaceWithVoid();
    }

    private Uni<Void> pendingDecisions() {
        List<String> waiting = pending.waitingLongerThan(DECISION_GRACE);
        if (waiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT report_id, outcome, rejection, group_status FROM exchange_processed_report"
                + " WHERE report_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfString(waiting.toArray(String[]::new)))
                .invoke(rows -> rows.forEach(row -> pending.decided(row.getString("report_id"), new Decision(
                        ExchangeEvent.Outcome.valueOf(row.getString("outcome")), row.getString("rejection"),
                        row.getString("group_status")))))
                .replaceWithVoid();
    }
}
