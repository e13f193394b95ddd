package io.leaseflow.launcher.plan;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.StackEvent;
import io.leaseflow.contract.StackEventType;
import io.leaseflow.launcher.events.StackEventRecord;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves plans between states. Each move is a conditional update (only from the expected state, so of two racing
 * callers one wins), its audit row and its stack event in the outbox, all in one statement; then a log line. Moves
 * and field updates go through the reactive pool, not a Hibernate session: they run once per launch step at
 * hundreds of launches per second, and an HQL update is translated anew on every call.
 */
@ApplicationScoped
public class PlanTransitions {
    private static final Logger LOG = Logger.getLogger(PlanTransitions.class);
    private final MeterRegistry metrics;
    private final Pool pool;

    public PlanTransitions(MeterRegistry metrics, Pool pool) {
        this.metrics = metrics;
        this.pool = pool;
    }

    /** True if this caller made the move; false if the plan was no longer in {@code from}. */
    public Uni<Boolean> move(LaunchPlan plan, PlanStatus from, PlanStatus to, String reason) {
        return move(plan, from, to, reason, new String[0]);
    }

    /**
     * As {@link #move(LaunchPlan, PlanStatus, PlanStatus, String)}, also writing the named fields of {@code plan}
     * (set by the caller beforehand) in the same conditional update. One statement: the update and, only if it
     * matched, the audit row and the outbox row (data-modifying CTEs, atomic without an explicit transaction and one
     * round trip instead of five).
     */
    public Uni<Boolean> move(LaunchPlan plan, PlanStatus from, PlanStatus to, String reason, String... fields) {
        Instant now = Instant.now();
        List<Object> params = new ArrayList<>(List.of(plan.id, from.name(), to.name()));
        params.add(reason);
        params.add(OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        String assignments = assignments("status = $3, status_reason = $4, updated_at = $5", plan, fields, params);
        params.add(LaunchSpans.traceId());
        StringBuilder sql = new StringBuilder("WITH moved AS (UPDATE launch_plan SET ").append(assignments)
                .append(" WHERE id = $1 AND status = $2 RETURNING id), transition AS (INSERT INTO plan_transition")
                .append(" (plan_id, from_status, to_status, reason, at, trace_id) SELECT id, $2, $3, $4, $5, $")
                .append(params.size()).append(" FROM moved)");
        outboxRow(plan, from, to, reason, now).ifPresent(row -> {
            int first = params.size() + 1;
            params.addAll(Arrays.asList(row.id, row.type, row.payload, row.traceparent));
            sql.append(", outbox AS (INSERT INTO stack_event_outbox (id, plan_id, type, payload, created_at,")
                    .append(" traceparent) SELECT $").append(first).append(", id, $").append(first + 1)
                    .append(", $").append(first + 2).append(", $5, $").append(first + 3).append(" FROM moved)");
        });
        sql.append(" SELECT count(*) AS moved FROM moved");
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
                .map(rows -> rows.iterator().next().getLong("moved") == 1)
                .invoke(moved -> {
                    if (moved) {
                        plan.status = to;
                        plan.statusReason = reason;
                        plan.updatedAt = now;
                        metrics.counter("leaseflow.launcher.plan.transitions", "to", to.name()).increment();
                        LOG.infof("plan=%s lease=%s stack=%s %s -> %s%s", plan.id, plan.leaseId, plan.heatStackId,
                                from, to, reason == null ? "" : " (" + reason + ")");
                    }
                });
    }

    /** A new plan: its row, its first audit row. No stack event: the contract has none for initialize. */
    public Uni<LaunchPlan> create(LaunchPlan plan, String reason) {
        return Panache.withTransaction(() -> plan.persist()
                .flatMap(saved -> PlanTransition.of(plan.id, null, plan.status, reason).persist())
                .replaceWith(plan))
                .invoke(p -> LOG.infof("plan=%s lease=%s stack=%s mode=%s created %s (%s)", p.id, p.leaseId,
                        p.heatStackId, p.mode, p.status, reason));
    }

    /** Writes fields of a plan without a transition (e.g. a renewed trust). */
    public Uni<Void> update(LaunchPlan plan, String... fields) {
        List<Object> params = new ArrayList<>(List.of(plan.id, OffsetDateTime.now(ZoneOffset.UTC)));
        String assignments = assignments("updated_at = $2", plan, fields, params);
        return pool.preparedQuery("UPDATE launch_plan SET " + assignments + " WHERE id = $1")
                .execute(Tuple.from(params)).replaceWithVoid();
    }

    /** {@code base} followed by {@code column = $n} for each field, its value appended to {@code params}. */
    private static String assignments(String base, LaunchPlan plan, String[] fields, List<Object> params) {
        StringBuilder assignments = new StringBuilder(base);
        for (String field : fields) {
            params.add(value(plan, field));
            assignments.append(", ").append(column(field)).append(" = $").append(params.size());
        }
        return assignments.toString();
    }

    private static Optional<StackEventRecord> outboxRow(LaunchPlan plan, PlanStatus from, PlanStatus to,
            String reason, Instant at) {
        return eventType(to).map(type -> {
            StackEvent event = new StackEvent(plan.id, plan.leaseId, plan.projectId, plan.mode.name().toLowerCase(),
                    from == null ? null : from.name(), to.name(), plan.heatStackId, plan.stackName,
                    plan.reservationParameter, plan.reservationId, reason, at);
            StackEventRecord row = new StackEventRecord();
            row.id = UUID.randomUUID().toString();
            row.planId = plan.id;
            row.type = type.cloudEventType();
            try {
                row.payload = EventJson.mapper().writeValueAsString(event);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            row.createdAt = at;
            row.traceparent = LaunchSpans.traceparent();
            return row;
        });
    }

    /** EXPIRED is reported as cancelled (the plan ended before launch); its data says EXPIRED. */
    static Optional<StackEventType> eventType(PlanStatus to) {
        return Optional.ofNullable(switch (to) {
            case LAUNCHING -> StackEventType.LAUNCH_REQUESTED;
            case IN_PROGRESS -> StackEventType.LAUNCHED;
            case COMPLETE -> StackEventType.COMPLETED;
            case FAILED -> StackEventType.FAILED;
            case CANCELLED, EXPIRED -> StackEventType.CANCELLED;
            case INIT_COMPLETE -> null;
        });
    }

    private static Object value(LaunchPlan plan, String field) {
        return switch (field) {
            case "reservationId" -> plan.reservationId;
            case "heatStackId" -> plan.heatStackId;
            case "stackName" -> plan.stackName;
            case "trustId" -> plan.trustId;
            case "launchDeadline" -> timestamp(plan.launchDeadline);
            case "launchedAt" -> timestamp(plan.launchedAt);
            case "endActionAt" -> timestamp(plan.endActionAt);
            case "exchangeGroupId" -> plan.exchangeGroupId;
            case "exchangeUrl" -> plan.exchangeUrl;
            case "exchangeToken" -> plan.exchangeToken;
            default -> throw new IllegalArgumentException("not a movable field: " + field);
        };
    }

    /** The column of a movable field (the entity's {@code @Column} names). */
    private static String column(String field) {
        return switch (field) {
            case "reservationId" -> "reservation_id";
            case "heatStackId" -> "heat_stack_id";
            case "stackName" -> "stack_name";
            case "trustId" -> "trust_id";
            case "launchDeadline" -> "launch_deadline";
            case "launchedAt" -> "launched_at";
            case "endActionAt" -> "end_action_at";
            case "exchangeGroupId" -> "exchange_group_id";
            case "exchangeUrl" -> "exchange_url";
            case "exchangeToken" -> "exchange_token";
            default -> throw new IllegalArgumentException("not a movable field: " + field);
        };
    }

    private static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
