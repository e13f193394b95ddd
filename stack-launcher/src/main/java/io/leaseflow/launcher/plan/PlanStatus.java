package io.leaseflow.launcher.plan;

/** {@code INIT_COMPLETE -> LAUNCHING -> IN_PROGRESS -> COMPLETE | FAILED}, plus CANCELLED and EXPIRED. */
public enum PlanStatus {
    INIT_COMPLETE, LAUNCHING, IN_PROGRESS, COMPLETE, FAILED, CANCELLED, EXPIRED
}
