package io.leaseflow.watcher.reconcile;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The reconciling poll of Blazar's API, which makes up for notifications that never came. */
@ConfigMapping(prefix = "leaseflow.reconcile")
public interface ReconcileConfig {
    /** How often Blazar's leases are listed ({@code off} disables the poll); read by the scheduler. */
    @WithDefault("30s")
    String interval();

    /** Delay of the first pass after start-up. */
    @WithDefault("2s")
    String initialDelay();

    /** Leases that ended longer ago than this are history, not missed events. */
    @WithDefault("24h")
    Duration horizon();
}
