package io.leaseflow.launcher.timeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.contract.Topics;
import io.leaseflow.launcher.timeline.TimelineEntry.Kind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** stack-launcher's part of a lease's timeline: the lease's plans, their transitions, stack events and Heat calls. */
@ApplicationScoped
public class LocalTimeline {
    static final String SERVICE = "stack-launcher";
    private final Pool pool;

    public LocalTimeline(Pool pool) {
        this.pool = pool;
    }

    /** A plan of the lease: who owns it decides who may read the timeline. */
    public record PlanOwner(String planId, String projectId) {
    }

    public record Local(List<PlanOwner> plans, List<TimelineEntry> entries) {
    }

    /** Everything stack-launcher holds of the lease, with the plans' owners (the caller filters by project). */
    public Uni<Local> read(String leaseId) {
        return query("SELECT id, project_id FROM launch_plan WHERE lease_id = $1", leaseId).flatMap(planRows -> {
            List<PlanOwner> plans = new ArrayList<>();
            planRows.forEach(r -> plans.add(new PlanOwner(r.getString("id"), r.getString("project_id"))));
            return transitions(leaseId).flatMap(t -> stackEvents(leaseId).flatMap(e -> heatCalls(leaseId).map(h -> {
                List<TimelineEntry> all = new ArrayList<>(t);
                all.addAll(e);
                all.addAll(h);
                return new Local(plans, all);
            })));
        });
    }

    /** Only the entries of these plans (Heat calls made before a plan existed carry no plan id and are dropped). */
    static List<TimelineEntry> ofPlans(List<TimelineEntry> entries, Set<String> planIds) {
        return entries.stream().filter(e -> planIds.contains(String.valueOf(e.details().get("plan_id")))).toList();
    }

    private Uni<List<TimelineEntry>> transitions(String leaseId) {
        return query("""
                SELECT t.plan_id, t.from_status, t.to_status, t.reason, t.at, t.trace_id, p.heat_stack_id
                FROM plan_transition t JOIN launch_plan p ON p.id = t.plan_id
                WHERE p.lease_id = $1""", leaseId).map(rows -> {
            List<TimelineEntry> entries = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("plan_id", r.getString("plan_id"));
                details.put("from", r.getString("from_status"));
                details.put("to", r.getString("to_status"));
                details.put("reason", r.getString("reason"));
                details.put("stack_id", r.getString("heat_stack_id"));
                String from = r.getString("from_status");
                entries.add(new TimelineEntry(instant(r, "at"), SERVICE, Kind.PLAN_TRANSITION.wire,
                        "plan " + (from == null ? "created " : from + " -> ") + r.getString("to_status")
                                + (r.getString("reason") == null ? "" : " (" + r.getString("reason") + ")"),
                        details, r.getString("trace_id")));
            }
            return entries;
        });
    }

    private Uni<List<TimelineEntry>> stackEvents(String leaseId) {
        return query("""
                SELECT o.id, o.plan_id, o.type, o.created_at, o.published_at, o.traceparent
                FROM stack_event_outbox o JOIN launch_plan p ON p.id = o.plan_id
                WHERE p.lease_id = $1""", leaseId).map(rows -> {
            List<TimelineEntry> entries = new ArrayList<>();
            for (Row r : rows) {
                Instant published = r.getValue("published_at") == null ? null : instant(r, "published_at");
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("plan_id", r.getString("plan_id"));
                details.put("ce_id", r.getString("id"));
                details.put("type", r.getString("type"));
                details.put("topic", Topics.STACK_EVENTS);
                details.put("published_at", published == null ? null : published.toString());
                String traceparent = r.getString("traceparent");
                entries.add(new TimelineEntry(instant(r, "created_at"), SERVICE, Kind.STACK_EVENT.wire,
                        "stack event " + r.getString("type") + (published == null ? " (not yet on Kafka)" : ""),
                        details, traceparent == null || traceparent.length() < 35 ? null
                                : traceparent.substring(3, 35)));
            }
            return entries;
        });
    }

    private Uni<List<TimelineEntry>> heatCalls(String leaseId) {
        return query("""
                SELECT plan_id, operation, method, path, status, error, duration_ms, request_id, trace_id, at
                FROM heat_call WHERE lease_id = $1""", leaseId).map(rows -> {
            List<TimelineEntry> entries = new ArrayList<>();
            for (Row r : rows) {
                Integer status = r.getInteger("status");
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("plan_id", r.getString("plan_id"));
                details.put("method", r.getString("method"));
                details.put("path", r.getString("path"));
                details.put("status", status);
                details.put("duration_ms", r.getInteger("duration_ms"));
                details.put("request_id", r.getString("request_id"));
                if (r.getString("error") != null) {
                    details.put("error", r.getString("error"));
                }
                entries.add(new TimelineEntry(instant(r, "at"), SERVICE, Kind.HEAT_CALL.wire,
                        "Heat " + r.getString("method") + " " + r.getString("path") + " -> "
                                + (status == null ? "no answer (" + r.getString("error") + ")" : status) + " in "
                                + r.getInteger("duration_ms") + " ms",
                        details, r.getString("trace_id")));
            }
            return entries;
        });
    }

    private Uni<RowSet<Row>> query(String sql, String leaseId) {
        return pool.preparedQuery(sql).execute(Tuple.of(leaseId));
    }

    private static Instant instant(Row row, String column) {
        return row.get(OffsetDateTime.class, column).toInstant();
    }
}
