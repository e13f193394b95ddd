package io.leaseflow.launcher.timeline;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may read any lease's timeline, and how long the peers (lease-watcher, hosts-exchange) may take to answer. */
@ConfigMapping(prefix = "leaseflow.timeline")
public interface TimelineConfig {
    /** Sent as {@code Authorization: Bearer <secret>} by operators; unset disables this way in. */
    Optional<String> operatorSecret();

    /** A Keystone token with one of these roles reads every lease's timeline; others only their project's. */
    @WithDefault("admin")
    List<String> adminRoles();

    /** After this, a peer's part is left out and the answer is marked partial. */
    @WithDefault("3s")
    Duration peerTimeout();
}
