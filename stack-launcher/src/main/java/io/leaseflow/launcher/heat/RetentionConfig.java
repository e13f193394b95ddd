package io.leaseflow.launcher.heat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long {@code heat_call} rows are kept ({@code leaseflow.retention.*}). */
@ConfigMapping(prefix = "leaseflow.retention")
public interface RetentionConfig {
    /** Heat calls older than this are deleted; zero or negative keeps them forever. */
    @WithDefault("P30D")
    Duration heatCalls();

    /** How often old rows are purged; read by the scheduler. */
    @WithDefault("10m")
    String interval();

    /** Rows deleted per statement: each batch is its own short transaction. */
    @WithDefault("5000")
    int batchSize();
}
