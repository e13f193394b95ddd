package io.leaseflow.launcher.heat;

import io.leaseflow.launcher.plan.LaunchPlan;

/** Whom a Heat call is for, as its call-log row names it: the plan (none before one exists) and its lease. */
public record HeatCallSubject(String planId, String leaseId) {

    public static HeatCallSubject of(LaunchPlan plan) {
        return new HeatCallSubject(plan.id, plan.leaseId);
    }

    public static HeatCallSubject lease(String leaseId) {
        return new HeatCallSubject(null, leaseId);
    }
}
