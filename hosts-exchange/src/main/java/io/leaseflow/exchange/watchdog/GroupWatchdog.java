package io.leaseflow.exchange.watchdog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The watchdog for expected reports: an open group past half its deadline is late. Gauges
 * {@code leaseflow_exchange_groups_late} and {@code leaseflow_exchange_members_missing} (size minus reported, over
 * late groups), and one WARN line per late group and replica naming the members that have not reported — by key where
 * the key is known before its first report (Heat-agent members, whose capability URLs were issued), by count otherwise
 * (native agents claim their key with their first write).
 */
@Startup
@ApplicationScoped
public class GroupWatchdog {
    private static final Logger LOG = Logger.getLogger(GroupWatchdog.class);
    private static final int NAMED = 100;
    private final Pool pool;
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    GroupWatchdog(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        // a gauge reads the object it was first registered with: replace those of an earlier instance (tests restart)
        for (String gauge : new String[] {"leaseflow.exchange.groups.late", "leaseflow.exchange.members.missing"}) {
            registry.find(gauge).meters().forEach(registry::remove);
        }
        Gauge.builder("leaseflow.exchange.groups.late", late, AtomicLong::get)
                .description("Open groups past half their deadline").register(registry);
        Gauge.builder("leaseflow.exchange.members.missing", missing, AtomicLong::get)
                .description("Members of late groups that have not reported (size minus reported)").register(registry);
    }

    /** A late group as the log line names it. */
    public record LateGroup(String id, String name, int size, int reported, String deadline, List<String> missingKeys) {
    }

    @Scheduled(identity = "exchange-watchdog", every = "${leaseflow.watchdog.interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return check().replaceWithVoid().onFailure().recoverWithUni(f -> {
            LOG.warnf("exchange watchdog pass failed, next pass retries: %s", f.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One pass; the late groups (at most 100 of them named, the gauges count all). */
    public Uni<List<LateGroup>> check() {
        String late = "status = 'OPEN' AND now() > created_at + (deadline - created_at) / 2";
        return pool.query("SELECT count(*) AS n, coalesce(sum(size - reported), 0) AS missing"
                        + " FROM exchange_group WHERE " + late).execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    this.late.set(row.getLong("n"));
                    this.missing.set(row.getLong("missing"));
                })
                .flatMap(counts -> pool.query("""
                        SELECT g.id::text AS id, g.name, g.size, g.reported, g.deadline::text AS deadline,
                               (SELECT string_agg(h.member_key, ',' ORDER BY h.member_key) FROM exchange_heat_member h
                                 WHERE h.group_id = g.id AND NOT EXISTS (SELECT 1 FROM exchange_member m
                                   WHERE m.group_id = g.id AND m.member_key = h.member_key)) AS missing_keys
                          FROM exchange_group g WHERE g.""" + late + " ORDER BY g.deadline LIMIT " + NAMED).execute())
                .map(rows -> {
                    List<LateGroup> groups = new ArrayList<>();
                    Set<String> current = ConcurrentHashMap.newKeySet();
                    for (Row r : rows) {
                        String keys = r.getString("missing_keys");
                        LateGroup g = new LateGroup(r.getString("id"), r.getString("name"), r.getInteger("size"),
                                r.getInteger("reported"), r.getString("deadline"),
                                keys == null ? List.of() : List.of(keys.split(",")));
                        groups.add(g);
                        current.add(g.id());
                        if (reported.add(g.id())) {
                            int unnamed = g.size() - g.reported() - g.missingKeys().size();
                            LOG.warnf("group=%s (%s) past half its deadline %s: %d of %d members have not reported;"
                                    + " missing keys %s%s", g.id(), g.name(), g.deadline(), g.size() - g.reported(),
                                    g.size(), g.missingKeys(), unnamed > 0 ? " and " + unnamed
                                            + " whose key is not known before their first report" : "");
                        }
                    }
                    reported.retainAll(current);
                    return groups;
                });
    }
}
