package io.leaseflow.exchange.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Behaviour of the exchange; every key is documented in the module README. */
@ConfigMapping(prefix = "leaseflow.exchange")
public interface ExchangeConfig {

    /** Base URL agents use to reach this service; unset, URLs are built from the base the client called. */
    Optional<String> publicUrl();

    /** Longest a long-poll may park ({@code ?wait=} is capped at this). */
    @WithDefault("300s")
    Duration maxWait();

    /**
     * Most long-polls one replica keeps parked at once; beyond it a poll that would park is refused with 503 and
     * {@code Retry-After}. A parked poll holds no thread, only its connection and a few hundred bytes.
     */
    @WithDefault("20000")
    int maxParkedPolls();

    /** {@code Retry-After} sent with a refused poll. */
    @WithDefault("5s")
    Duration pollRetryAfter();

    /** Period of the expiry sweep; read by {@code @Scheduled} through the same key. */
    @WithDefault("5s")
    Duration sweepInterval();

    /** Most groups one sweep closes; the rest wait for the next tick. */
    @WithDefault("500")
    int sweepBatchSize();

    /** Largest output value a member may report, in UTF-8 bytes. */
    @WithDefault("65536")
    int maxOutputBytes();

    /** Largest sum of a report's values, in UTF-8 bytes; keeps every report inside one Kafka record. */
    @WithDefault("524288")
    int maxReportBytes();

    /** How long a native write waits for the partition owner's decision before answering 202. */
    @WithDefault("10s")
    Duration decisionTimeout();

    /**
     * Period of the resync that repairs lost events: parked polls and pending writes are checked against the
     * database. Read by {@code @Scheduled} through the same key.
     */
    @WithDefault("2s")
    Duration resyncInterval();

    /** Period of the groups-by-status gauge refresh and the processed-report cleanup. */
    @WithDefault("30s")
    Duration housekeepingInterval();

    /** How long decided report ids are kept for deduplication of redelivered reports. */
    @WithDefault("P2D")
    Duration processedRetention();

    /**
     * How long a closed group (COMPLETE, PARTIAL, EXPIRED) is kept after it closed: then it is deleted with its
     * members' outputs and capability URLs (an agent still polling one gets 404, as from a deleted Heat stack's
     * temp URL). Zero or negative keeps closed groups forever.
     */
    @WithDefault("P14D")
    Duration closedRetention();

    /** Period of the closed-group purge; read by {@code @Scheduled} through the same key. */
    @WithDefault("10m")
    Duration retentionInterval();

    /** Most groups one purge statement deletes; a purge repeats until a statement deletes fewer. */
    @WithDefault("200")
    int retentionBatchSize();

    /** This replica's id (log lines, report provenance); defaults to a random UUID per start. */
    @WithName("instance-id")
    @WithDefault("${quarkus.uuid}")
    String instanceId();

    Kafka kafka();

    Heat heat();

    interface Kafka {
        /** Create the exchange topics (and their dead-letter topics) at start when missing. */
        @WithDefault("true")
        boolean createTopics();

        /** Partitions of topics created at start: the most replicas that can own reports at once. */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface Heat {
        /** {@code polling_interval} served to os-collect-config while the member's group is open. */
        @WithDefault("2")
        int openPollingInterval();

        /** {@code polling_interval} served once the group is closed (os-collect-config's own default). */
        @WithDefault("30")
        int closedPollingInterval();
    }
}
