package io.leaseflow.launcher.plan;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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

/**
 * Moves plans between states. Each move is a conditional update (only from the expected state, so of two racing
 * callers one wins), its audit row and its stack event in the outbox, all in one transaction; then a log line.
 */
@ApplicationScoped
public class PlanTransitions {
    private static final Logger LOG = Logger.getLogger(PlanTransitions.class);
    private final MeterRegistry metrics;

    public PlanTransitions(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** True if this caller made the move; false if the plan was no longer in {@code from}. */
    public Uni<Boolean> move(LaunchPlan plan, PlanStatus from, PlanStatus to, String reason) {
        return move(plan, from, to, reason, new String[0]);
    }

    /**
     * As {@link #move(LaunchPlan, PlanStatus, PlanStatus, String)}, also writing the named fields of {@code plan}
     * (set by the caller beforehand) in the same conditional update.
     */
    public Uni<Boolean> move(LaunchPlan plan, PlanStatus from, PlanStatus to, String reason, String... fields) {
        Instant now = Instant.now();
        StringBuilder assignments = new StringBuilder("status = :to, statusReason = :reason, updatedAt = :now");
        Map<String, Object> params = new HashMap<>();
        for (String field : fields) {
            assignments.append(", ").append(field).append(" = :").append(field);
            params.put(field, value(plan, field));
        }
        params.put("to", to);
        params.put("reason", reason);
        params.put("now", now);
        params.put("id", plan.id);
        params.put("from", from);
        String hql = assignments + " where id = :id and status = :from";
        return Panache.withTransaction(() -> LaunchPlan.update(hql, params)
                .flatMap(rows -> rows != 1 ? Uni.createFrom().item(false)
                        : PlanTransition.of(plan.id, from, to, reason, now).persist()
                                .flatMap(t -> outboxRow(plan, from, to, reason, now)
                                        .map(row -> row.persist()).orElse(Uni.createFrom().nullItem()))
                                .replaceWith(true)))
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
        StringBuilder assignments = new StringBuilder("updatedAt = :now");
        Map<String, Object> params = new HashMap<>();
        for (String field : fields) {
            assignments.append(", ").append(field).append(" = :").append(field);
            params.put(field, value(plan, field));
        }
        params.put("now", Instant.now());
        params.put("id", plan.id);
        String hql = assignments + " where id = :id";
        return Panache.withTransaction(() -> LaunchPlan.update(hql, params)).replaceWithVoid();
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
            case "launchDeadline" -> plan.launchDeadline;
            case "launchedAt" -> plan.launchedAt;
            case "endActionAt" -> plan.endActionAt;
            case "exchangeGroupId" -> plan.exchangeGroupId;
            case "exchangeUrl" -> plan.exchangeUrl;
            case "exchangeToken" -> plan.exchangeToken;
            default -> throw new IllegalArgumentException("not a movable field: " + field);
        };
    }
}
