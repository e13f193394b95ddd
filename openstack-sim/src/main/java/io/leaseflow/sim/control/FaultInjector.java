package io.leaseflow.sim.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures armed by tests: the next {@code count} matching calls answer {@code status} (0 = the normal answer), after
 * {@code delayMillis} (0 = at once): 5xx bursts, 409 storms, slow answers and, with a delay beyond the client's
 * timeout, timeouts.
 */
@ApplicationScoped
public class FaultInjector {

    /** {@code method} and {@code pathContains} are optional filters. */
    public record Fault(String service, String method, String pathContains, int status, long delayMillis,
            AtomicInteger remaining) {
        public Fault(String service, String method, String pathContains, int status, AtomicInteger remaining) {
            this(service, method, pathContains, status, 0, remaining);
        }

        boolean matches(String service, String method, String path) {
            return this.service.equalsIgnoreCase(service)
                    && (this.method == null || this.method.equalsIgnoreCase(method))
                    && (pathContains == null || path.contains(pathContains));
        }
    }

    private final CopyOnWriteArrayList<Fault> faults = new CopyOnWriteArrayList<>();

    public void arm(Fault fault) {
        faults.add(fault);
    }

    /** Consumes one use of the first matching fault. */
    public Optional<Fault> take(String service, String method, String path) {
        for (Fault fault : faults) {
            if (fault.matches(service, method, path)) {
                int left = fault.remaining().getAndDecrement();
                if (left > 0) {
                    if (left == 1) {
                        faults.remove(fault);
                    }
                    return Optional.of(fault);
                }
                faults.remove(fault);
            }
        }
        return Optional.empty();
    }

    public void clear() {
        faults.clear();
    }
}
