package io.leaseflow.launcher.plan;

/** How the stack waits for its lease: already in Heat as INIT_COMPLETE (bound), dormant in Heat, or held here. */
public enum PlanMode {
    BOUND, DORMANT, HELD
}
