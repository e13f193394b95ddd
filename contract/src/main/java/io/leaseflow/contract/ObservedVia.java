package io.leaseflow.contract;

/** How lease-watcher learned of a lease transition. */
public enum ObservedVia {
    NOTIFICATION, POLL, WEBHOOK
}
