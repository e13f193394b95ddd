package io.leaseflow.launcher.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.contract.Topics;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanMode;
import io.leaseflow.launcher.plan.PlanStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * {@code leaseflow_launcher_*}: launches by mode and outcome, event-to-Heat-accepted latency, Heat requests by
 * operation and status, plans by state, Heat call log rows purged. Tags are low-cardinality (no ids).
 */
@ApplicationScoped
public class LauncherMetrics {
    private final MeterRegistry registry;
    private final Map<PlanStatus, AtomicLong> plansByState = new EnumMap<>(PlanStatus.class);
    private final Map<PlanMode, Timer> latency = new EnumMap<>(PlanMode.class);
    private final AtomicLong startOverdue = new AtomicLong();
    private final Map<PlanStatus, AtomicLong> stuck = new EnumMap<>(PlanStatus.class);
    private final Counter startOverduePublished;
    private final Counter deadLettered;
    private final Counter heatCallsPurged;

    public LauncherMetrics(MeterRegistry registry) {
        this.registry = registry;
        // A gauge reads the object it was first registered with: drop those of an earlier instance of this bean
        // (a restarted application in the same JVM, as in tests) so that the gauges read this one.
        for (String gauge : List.of("leaseflow.launcher.plans", "leaseflow.lease.start.overdue",
                "leaseflow.launcher.plans.stuck")) {
            registry.find(gauge).meters().forEach(registry::remove);
        }
        for (PlanStatus status : PlanStatus.values()) {
            AtomicLong value = new AtomicLong();
            plansByState.put(status, value);
            Gauge.builder("leaseflow.launcher.plans", value, AtomicLong::get).description("Plans by state")
                    .tag("state", status.name()).register(registry);
        }
        Gauge.builder("leaseflow.lease.start.overdue", startOverdue, AtomicLong::get)
                .description("Bound leases past their start by more than the watchdog's grace, no start observed")
                .register(registry);
        startOverduePublished = Counter.builder("leaseflow.lease.start.overdue.events")
                .description("io.leaseflow.lease.start-overdue events published (once per lease)").register(registry);
        for (PlanStatus status : List.of(PlanStatus.LAUNCHING, PlanStatus.IN_PROGRESS)) {
            AtomicLong value = new AtomicLong();
            stuck.put(status, value);
            Gauge.builder("leaseflow.launcher.plans.stuck", value, AtomicLong::get)
                    .description("Plans in LAUNCHING or IN_PROGRESS past the watchdog's bound").tag("state", status.name())
                    .register(registry);
        }
        // registered up front so that the DLQ alert's series exists before the first poison message
        deadLettered = Counter.builder("leaseflow.dead.lettered").description("Records written to a dead-letter topic")
                .tag("topic", Topics.LEASE_EVENTS + Topics.DLQ_SUFFIX).register(registry);
        heatCallsPurged = Counter.builder("leaseflow.launcher.heat.calls.purged")
                .description("heat_call rows deleted by retention (leaseflow.retention.heat-calls)").register(registry);
        for (PlanMode mode : PlanMode.values()) {
            latency.put(mode, Timer.builder("leaseflow.launcher.launch.latency")
                    .description("From the lease.started event received to Heat accepting the launch")
                    .tag("mode", mode(mode)).publishPercentileHistogram()
                    .publishPercentiles(0.5, 0.99)
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
    }

    /** outcome: accepted (Heat took the launch), completed, failed, timed_out, expired. */
    public void launch(PlanMode mode, String outcome) {
        Counter.builder("leaseflow.launcher.launches").description("Launches by mode and outcome")
                .tag("mode", mode(mode)).tag("outcome", outcome).register(registry).increment();
    }

    public void heatAccepted(PlanMode mode, long eventReceivedNanos) {
        latency.get(mode).record(Duration.ofNanos(System.nanoTime() - eventReceivedNanos));
    }

    /** status: the HTTP status, or {@code error} when no answer came (refused, timed out). */
    public void heatRequest(String operation, String status) {
        Counter.builder("leaseflow.launcher.heat.requests").description("Heat requests by operation and status")
                .tag("operation", operation).tag("status", status).register(registry).increment();
    }

    /** Distinct leases whose start is overdue, as of the watchdog's last pass. */
    public void startOverdue(long leases) {
        startOverdue.set(leases);
    }

    public void startOverduePublished() {
        startOverduePublished.increment();
    }

    public void stuck(PlanStatus status, long plans) {
        AtomicLong value = stuck.get(status);
        if (value != null) {
            value.set(plans);
        }
    }

    /** A lease event went to {@code leaseflow.lease-events.dlq}. */
    public void deadLettered() {
        deadLettered.increment();
    }

    /** Rows of the Heat call log deleted as older than the retention. */
    public void heatCallsPurged(long rows) {
        heatCallsPurged.increment(rows);
    }

    @Scheduled(every = "${leaseflow.launcher.gauge-interval:10s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recount() {
        return Panache.withSession(() -> LaunchPlan.getSession().flatMap(session -> session
                .createQuery("select p.status, count(p) from LaunchPlan p group by p.status", Object[].class)
                .getResultList()))
                .invoke(rows -> {
                    plansByState.values().forEach(v -> v.set(0));
                    rows.forEach(row -> plansByState.get((PlanStatus) row[0]).set(((Number) row[1]).longValue()));
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String mode(PlanMode mode) {
        return mode.name().toLowerCase();
    }
}
