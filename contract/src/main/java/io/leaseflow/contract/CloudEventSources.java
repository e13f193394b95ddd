package io.leaseflow.contract;

import java.net.URI;

/** CloudEvents {@code source} attributes of the leaseflow producers. */
public final class CloudEventSources {
    public static final URI LEASE_WATCHER = URI.create("/leaseflow/lease-watcher");
    public static final URI STACK_LAUNCHER = URI.create("/leaseflow/stack-launcher");
    public static final URI HOSTS_EXCHANGE = URI.create("/leaseflow/hosts-exchange");

    private CloudEventSources() {
    }
}
