package io.leaseflow.launcher.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

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
 * operation and status, plans by state. Tags are low-cardinality (no ids).
 */
@ApplicationScoped
public class LauncherMetrics {
    private final MeterRegistry registry;
    private final Map<PlanStatus, AtomicLong> plansByState = new EnumMap<>(PlanStatus.class);
    private final Map<PlanMode, Timer> latency = new EnumMap<>(PlanMode.class);

    public LauncherMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PlanStatus status : PlanStatus.values()) {
            AtomicLong value = new AtomicLong();
            plansByState.put(status, value);
            Gauge.builder("leaseflow.launcher.plans", value, AtomicLong::get).description("Plans by state")
                    .tag("state", status.name()).register(registry);
        }
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
