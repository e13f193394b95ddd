package io.leaseflow.launcher.watchdog;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The watchdog for expected events ({@code leaseflow.watchdog.*}). */
@ConfigMapping(prefix = "leaseflow.watchdog")
public interface WatchdogConfig {
    /** A bound lease this long past its start with no start observed is overdue. */
    @WithDefault("60s")
    Duration grace();

    /** How often the watchdog looks; read by the scheduler. */
    @WithDefault("10s")
    String interval();

    /** A plan LAUNCHING this long is stuck (crash recovery should have moved it after {@code recovery.grace}). */
    @WithDefault("5m")
    Duration launchingBound();

    /** A plan IN_PROGRESS this long is stuck (Heat never finished and the plan deadline did not fire). */
    @WithDefault("75m")
    Duration inProgressBound();
}
