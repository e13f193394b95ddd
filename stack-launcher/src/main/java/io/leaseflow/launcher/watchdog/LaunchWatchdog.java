package io.leaseflow.launcher.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseStartOverdue;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Acts on events that never came. A bound lease more than {@code grace} past its start whose plans still wait
 * (INIT_COMPLETE: no start observed by any path) is overdue: gauge, a WARN line, and once per lease
 * {@code io.leaseflow.lease.start-overdue}, on which lease-watcher reconciles that lease against Blazar at once.
 * Plans LAUNCHING or IN_PROGRESS past their bound are stuck: gauge and a WARN line (once per plan and process).
 */
@ApplicationScoped
public class LaunchWatchdog {
    private static final Logger LOG = Logger.getLogger(LaunchWatchdog.class);
    private final WatchdogConfig config;
    private final StartOverduePublisher publisher;
    private final LauncherMetrics metrics;
    private final Set<String> stuckReported = ConcurrentHashMap.newKeySet();

    public LaunchWatchdog(WatchdogConfig config, StartOverduePublisher publisher, LauncherMetrics metrics) {
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Scheduled(every = "${leaseflow.watchdog.interval:10s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return check().onFailure().recoverWithUni(failure -> {
            LOG.warnf("watchdog pass failed, next pass retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One pass: overdue starts first, then stuck plans. */
    public Uni<Void> check() {
        Instant now = Instant.now();
        return startsOverdue(now).flatMap(x -> stuckPlans(now));
    }

    private Uni<Void> startsOverdue(Instant now) {
        Instant cutoff = now.minus(config.grace());
        return Panache.withSession(() -> LaunchPlan.<LaunchPlan>list(
                "status = ?1 and leaseStart < ?2 order by leaseStart", PlanStatus.INIT_COMPLETE, cutoff))
                .flatMap(plans -> {
                    Map<String, List<LaunchPlan>> byLease = new LinkedHashMap<>();
                    plans.forEach(p -> byLease.computeIfAbsent(p.leaseId, k -> new ArrayList<>()).add(p));
                    metrics.startOverdue(byLease.size());
                    return Multi.createFrom().iterable(byLease.values())
                            .filter(lease -> lease.stream().anyMatch(p -> p.startOverdueAt == null))
                            .onItem().transformToUniAndConcatenate(lease -> report(lease, now))
                            .collect().asList().replaceWithVoid();
                });
    }

    /** Publishes the lease's start-overdue, then stamps its plans: a crash in between republishes the same id. */
    private Uni<Void> report(List<LaunchPlan> plans, Instant now) {
        LaunchPlan first = plans.get(0);
        long overdue = Duration.between(first.leaseStart, now).toSeconds();
        LeaseStartOverdue event = new LeaseStartOverdue(first.leaseId, first.projectId, first.leaseStart,
                first.leaseEnd, plans.stream().map(p -> p.id).toList(), overdue, now);
        LOG.warnf("lease=%s start overdue: due at %s, %d s ago (grace %d s), no start observed; plans %s wait;"
                + " asking lease-watcher to reconcile it with Blazar", first.leaseId, first.leaseStart, overdue,
                config.grace().toSeconds(), event.planIds());
        return publisher.publish(event)
                .flatMap(sent -> Panache.withTransaction(() -> LaunchPlan.update(
                        "startOverdueAt = ?1 where leaseId = ?2 and status = ?3 and startOverdueAt is null", now,
                        first.leaseId, PlanStatus.INIT_COMPLETE)))
                .invoke(rows -> metrics.startOverduePublished())
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("lease=%s start-overdue not published yet (next pass retries): %s", first.leaseId,
                            f.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> stuckPlans(Instant now) {
        return Panache.withSession(() -> LaunchPlan.<LaunchPlan>list(
                "(status = ?1 and updatedAt < ?2) or (status = ?3 and updatedAt < ?4)",
                PlanStatus.LAUNCHING, now.minus(config.launchingBound()),
                PlanStatus.IN_PROGRESS, now.minus(config.inProgressBound())))
                .invoke(plans -> {
                    Map<PlanStatus, Long> counts = new EnumMap<>(PlanStatus.class);
                    counts.put(PlanStatus.LAUNCHING, 0L);
                    counts.put(PlanStatus.IN_PROGRESS, 0L);
                    Set<String> current = ConcurrentHashMap.newKeySet();
                    for (LaunchPlan p : plans) {
                        counts.merge(p.status, 1L, Long::sum);
                        current.add(p.id);
                        if (stuckReported.add(p.id)) {
                            LOG.warnf("plan=%s lease=%s stack=%s stuck in %s since %s (bound %d s)", p.id, p.leaseId,
                                    p.heatStackId, p.status, p.updatedAt, (p.status == PlanStatus.LAUNCHING
                                            ? config.launchingBound() : config.inProgressBound()).toSeconds());
                        }
                    }
                    stuckReported.retainAll(current);
                    counts.forEach(metrics::stuck);
                })
                .replaceWithVoid();
    }
}
