package io.leaseflow.watcher.reconcile;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * What the reconciler did lately, for the alerts that tell a dead listener from a quiet cloud:
 * {@code leaseflow_reconciler_last_success_timestamp_seconds} (start-up time until the first good pass),
 * {@code leaseflow_reconciler_last_findings} (facts the last good pass published that no notification had), and the
 * findings and runs counters, registered at start so that their series exist before the first finding.
 */
@Startup
@ApplicationScoped
public class ReconcilerHealth {
    private final MeterRegistry registry;
    private final AtomicLong lastSuccessMillis = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong lastFindings = new AtomicLong();

    public ReconcilerHealth(MeterRegistry registry, ReconcileConfig config) {
        this.registry = registry;
        // a gauge reads the object it was first registered with: replace those of an earlier instance (tests restart)
        for (String gauge : new String[] {"leaseflow_reconciler_last_success_timestamp_seconds",
                "leaseflow_reconciler_last_findings"}) {
            registry.find(gauge).meters().forEach(registry::remove);
        }
        if (!"off".equalsIgnoreCase(config.interval().trim())) {
            // only while the poll runs: a disabled reconciler is not a failing one
            Gauge.builder("leaseflow_reconciler_last_success_timestamp_seconds", lastSuccessMillis,
                            v -> v.get() / 1000.0)
                    .description("When the reconciler last listed Blazar's leases successfully (start-up before that)")
                    .register(registry);
        }
        Gauge.builder("leaseflow_reconciler_last_findings", lastFindings, AtomicLong::get)
                .description("Lease facts the last reconciler pass published that no notification had reported")
                .register(registry);
        for (String type : new String[] {"started", "ended"}) {
            finding(type, 0);
        }
        for (String outcome : new String[] {"ok", "failed"}) {
            Counter.builder("leaseflow_reconciler_runs_total").tag("outcome", outcome).register(registry);
        }
        for (String outcome : new String[] {"published", "already_published", "not_due", "failed", "invalid"}) {
            Counter.builder("leaseflow_watcher_overdue_reconciles_total").tag("outcome", outcome).register(registry);
        }
    }

    public void passSucceeded(long findings) {
        lastSuccessMillis.set(System.currentTimeMillis());
        lastFindings.set(findings);
        registry.counter("leaseflow_reconciler_runs_total", "outcome", "ok").increment();
    }

    public void passFailed() {
        registry.counter("leaseflow_reconciler_runs_total", "outcome", "failed").increment();
    }

    /** type: started or ended. */
    public void finding(String type, long count) {
        registry.counter("leaseflow_reconciler_findings_total", "type", type).increment(count);
    }

    /** outcome of reconciling one lease on io.leaseflow.lease.start-overdue. */
    public void overdueReconciled(String outcome) {
        registry.counter("leaseflow_watcher_overdue_reconciles_total", "outcome", outcome).increment();
    }
}
