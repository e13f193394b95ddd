package io.leaseflow.launcher.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** stack-launcher's own settings ({@code leaseflow.launcher.*}); Heat retries are tuned through MicroProfile FT keys. */
@ConfigMapping(prefix = "leaseflow.launcher")
public interface LauncherConfig {
    /** How often stacks being launched are checked in Heat. */
    @WithDefault("2s")
    Duration progressInterval();

    /** Stacks checked in Heat at once during a progress pass. */
    @WithDefault("16")
    int progressConcurrency();

    /** Launch deadline when the plan has no {@code timeout_mins}; then the plan is FAILED (timed out). */
    @WithDefault("60m")
    Duration planTimeout();

    /** Look the lease up in Blazar at initialize, to resolve the reservation selector (ambiguity is a 422). */
    @WithDefault("true")
    boolean checkLease();

    /** Lease events handled at once, across leases (each lease's own events stay in order). */
    @WithDefault("64")
    int maxConcurrentEvents();

    /**
     * How long a lease event whose handling fails (database or Kafka away) is retried, with backoff, before it goes
     * to the dead-letter topic. Must stay below the consumer's unprocessed-record limit (300 s).
     */
    @WithDefault("240s")
    Duration eventRetryFor();

    Recovery recovery();

    Outbox outbox();

    /** How often the plans-by-state gauge is recounted. */
    @WithDefault("10s")
    Duration gaugeInterval();

    interface Recovery {
        /** How often LAUNCHING plans are reconciled against Heat and final plans' trusts deleted. */
        @WithDefault("30s")
        Duration interval();

        /**
         * A LAUNCHING plan untouched this long and not in flight in this process is reconciled: longer than a Heat
         * call with all its retries, so that another replica's launch in flight is left alone.
         */
        @WithDefault("2m")
        Duration grace();
    }

    interface Outbox {
        /** How often unpublished stack events are relayed to Kafka. */
        @WithDefault("200ms")
        Duration interval();

        @WithDefault("200")
        int batch();
    }
}
