package io.leaseflow.launcher.launch;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leaseflow.launcher.concurrency.IsolatedContexts;
import io.leaseflow.launcher.config.LauncherConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;

/**
 * Runs lease-event handlers concurrently across leases and in arrival order within one lease, at most
 * {@code leaseflow.launcher.max-concurrent-events} at a time. A Kafka partition carries many leases; handling its
 * records one by one made every start wait for the Heat round trips of all starts before it. The handler acks its
 * record when it is done, and the consumer's throttled commit strategy commits an offset only once every record before
 * it is acked, so a crash still redelivers whatever was in flight (and redelivery is harmless: every effect is a
 * conditional transition).
 * <p>
 * {@link #submit} completes once the handler has a slot, not when it finishes: that is the back-pressure on the Kafka
 * consumer. Each handler runs on its own duplicated Vert.x context, because a Hibernate Reactive session belongs to
 * one context and must not be shared by concurrent handlers.
 */
@ApplicationScoped
public class LeaseOrderedDispatcher {
    private static final Logger LOG = Logger.getLogger(LeaseOrderedDispatcher.class);
    private final Vertx vertx;
    private final int maxConcurrent;
    private final AtomicInteger running = new AtomicInteger();
    private final Queue<UniEmitter<? super Void>> waitingForSlot = new ConcurrentLinkedQueue<>();
    private final Map<String, CompletableFuture<Void>> lastOfLease = new ConcurrentHashMap<>();

    @Inject
    public LeaseOrderedDispatcher(Vertx vertx, MeterRegistry registry, LauncherConfig config) {
        this(vertx, registry, config.maxConcurrentEvents());
    }

    LeaseOrderedDispatcher(Vertx vertx, MeterRegistry registry, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("leaseflow.launcher.max-concurrent-events must be at least 1");
        }
        this.vertx = vertx;
        this.maxConcurrent = maxConcurrent;
        Gauge.builder("leaseflow.launcher.events.in.flight", running, AtomicInteger::get)
                .description("Lease events being handled right now (bounded by max-concurrent-events)")
                .register(registry);
    }

    /**
     * Schedules {@code handler} for {@code leaseId} after that lease's earlier handlers; the returned Uni completes
     * when a slot is taken. The handler must not fail (it acks or nacks its own record); a failure is only logged.
     */
    public Uni<Void> submit(String leaseId, Supplier<Uni<Void>> handler) {
        return slot().invoke(() -> afterEarlierOfLease(leaseId, handler));
    }

    private Uni<Void> slot() {
        while (true) {
            int now = running.get();
            if (now >= maxConcurrent) {
                return Uni.createFrom().emitter(emitter -> {
                    waitingForSlot.add(emitter);
                    // A slot may have been freed between the check and the enqueue.
                    if (running.get() < maxConcurrent) {
                        handOverFreedSlot();
                    }
                });
            }
            if (running.compareAndSet(now, now + 1)) {
                return Uni.createFrom().voidItem();
            }
        }
    }

    private void afterEarlierOfLease(String leaseId, Supplier<Uni<Void>> handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> earlier = lastOfLease.put(leaseId, done);
        Runnable start = () -> run(handler, () -> {
            lastOfLease.remove(leaseId, done);
            done.complete(null);
            release();
        });
        if (earlier == null || earlier.isDone()) {
            start.run();
        } else {
            earlier.whenComplete((ignored, failure) -> start.run());
        }
    }

    private void run(Supplier<Uni<Void>> handler, Runnable finished) {
        IsolatedContexts.run(vertx, handler).subscribe().with(item -> finished.run(), failure -> {
            LOG.errorf(failure, "lease event handler failed outside its own error handling");
            finished.run();
        });
    }

    private void release() {
        UniEmitter<? super Void> next = waitingForSlot.poll();
        if (next != null) {
            next.complete(null); // the slot passes to the waiter; the count stays
        } else {
            running.decrementAndGet();
            if (!waitingForSlot.isEmpty()) {
                handOverFreedSlot();
            }
        }
    }

    private void handOverFreedSlot() {
        while (true) {
            int now = running.get();
            if (now >= maxConcurrent) {
                return;
            }
            if (running.compareAndSet(now, now + 1)) {
                UniEmitter<? super Void> next = waitingForSlot.poll();
                if (next != null) {
                    next.complete(null);
                } else {
                    running.decrementAndGet();
                }
                return;
            }
        }
    }
}
