package io.leaseflow.launcher.launch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** Plans this process is launching right now; recovery leaves them alone. */
@ApplicationScoped
public class LaunchesInFlight {
    private final Set<String> plans = ConcurrentHashMap.newKeySet();

    public boolean begin(String planId) {
        return plans.add(planId);
    }

    public void end(String planId) {
        plans.remove(planId);
    }

    public boolean contains(String planId) {
        return plans.contains(planId);
    }
}
