package io.leaseflow.exchange.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Behaviour of the exchange; every key is documented in the module README. */
@ConfigMapping(prefix = "leaseflow.exchange")
public interface ExchangeConfig {

    /** Base URL agents use to reach this service; unset, URLs are built from the base the client called. */
    Optional<String> publicUrl();

    /** Longest a long-poll may park ({@code ?wait=} is capped at this). */
    @WithDefault("300s")
    Duration maxWait();

    /** Period of the expiry sweep; read by {@code @Scheduled} through the same key. */
    @WithDefault("5s")
    Duration sweepInterval();

    /** Most groups one sweep closes; the rest wait for the next tick. */
    @WithDefault("500")
    int sweepBatchSize();

    /** Largest output value a member may report, in UTF-8 bytes. */
    @WithDefault("65536")
    int maxOutputBytes();
}
