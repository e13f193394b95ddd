package io.leaseflow.sim.heat;

import io.leaseflow.sim.SimConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Starts a stack action now and finishes it after {@code sim.heat.action-delay}, like heat-engine's workers. */
@ApplicationScoped
public class StackActions {

    private static final Logger LOG = Logger.getLogger(StackActions.class);

    private final ScheduledExecutorService engine = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heat-engine-sim");
        t.setDaemon(true);
        return t;
    });
    private final Duration delay;
    private final Event<StackSettled> settled;

    public StackActions(SimConfig config, Event<StackSettled> settled) {
        this.delay = config.heat().actionDelay();
        this.settled = settled;
    }

    @PreDestroy
    void stop() {
        engine.shutdownNow();
    }

    /** Caller holds the stack's monitor. */
    void start(Stack stack, String action) {
        stack.action = action;
        stack.status = "IN_PROGRESS";
        stack.reason = "Stack " + action + " started";
        long generation = ++stack.generation;
        LOG.infof("stack %s: %s_IN_PROGRESS", stack.id, action);
        engine.schedule(() -> finish(stack, action, generation), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(Stack stack, String action, long generation) {
        StackSettled outcome;
        synchronized (stack) {
            if (stack.generation != generation) {
                return;
            }
            if (stack.failNextReason != null) {
                stack.status = "FAILED";
                stack.reason = stack.failNextReason;
                stack.failNextReason = null;
            } else {
                stack.status = "COMPLETE";
                stack.reason = "Stack " + action + " completed successfully";
                if ("DELETE".equals(action)) {
                    stack.resources.clear();
                    stack.deleted = true;
                    stack.deletionTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                } else {
                    stack.appliedParameters = stack.template.resolvedParameters(stack.userParameters);
                    stack.rebuildResources(Instant.now().truncatedTo(ChronoUnit.SECONDS));
                }
            }
            LOG.infof("stack %s: %s_%s", stack.id, action, stack.status);
            outcome = "COMPLETE".equals(stack.status)
                    ? new StackSettled(stack.id, stack.name, action, servers(stack), stack.deleted) : null;
        }
        if (outcome != null) {
            try {
                settled.fire(outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "stack %s: instances did not follow %s_COMPLETE", stack.id, action);
            }
        }
    }

    private static java.util.List<ServerSpec> servers(Stack stack) {
        try {
            return stack.servers();
        } catch (RuntimeException e) {
            LOG.warnf("stack %s: cannot resolve its servers (%s); no instance follows", stack.id, e.getMessage());
            return java.util.List.of();
        }
    }
}
