package io.leaseflow.launcher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

class LeaseOrderedDispatcherTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void leasesRunConcurrentlyEachInOrderWithinTheBound() throws Exception {
        int limit = 8;
        LeaseOrderedDispatcher dispatcher = new LeaseOrderedDispatcher(vertx, new SimpleMeterRegistry(), limit);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        Map<String, AtomicBoolean> leaseBusy = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        int events = 400;
        CountDownLatch done = new CountDownLatch(events);
        for (int i = 0; i < events; i++) {
            String lease = "lease-" + (i % 25);
            int seq = i;
            // Submitted one after another, as the Kafka channel does: the next waits for a slot.
            dispatcher.submit(lease, () -> {
                if (!leaseBusy.computeIfAbsent(lease, k -> new AtomicBoolean()).compareAndSet(false, true)) {
                    overlaps.add(lease);
                }
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.computeIfAbsent(lease, k -> new CopyOnWriteArrayList<>()).add(seq);
                return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(2 + seq % 5))
                        .invoke(() -> {
                            running.decrementAndGet();
                            leaseBusy.get(lease).set(false);
                            done.countDown();
                        });
            }).await().atMost(Duration.ofSeconds(10));
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "all handlers finished");
        assertTrue(overlaps.isEmpty(), "a lease's events never overlap: " + overlaps);
        assertTrue(peak.get() <= limit, "at most " + limit + " at once, saw " + peak.get());
        assertTrue(peak.get() > 1, "different leases ran concurrently, peak " + peak.get());
        for (Map.Entry<String, List<Integer>> lease : order.entrySet()) {
            List<Integer> sorted = new ArrayList<>(lease.getValue());
            sorted.sort(Integer::compare);
            assertEquals(sorted, lease.getValue(), lease.getKey() + " handled in arrival order");
        }
        assertEquals(events, order.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void submitWaitsForAFreeSlotAndAFailingHandlerReleasesIt() throws Exception {
        LeaseOrderedDispatcher dispatcher = new LeaseOrderedDispatcher(vertx, new SimpleMeterRegistry(), 1);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.submit("a", () -> Uni.createFrom().completionStage(
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))).await().atMost(Duration.ofSeconds(5));
        AtomicBoolean secondGotSlot = new AtomicBoolean();
        CountDownLatch secondRan = new CountDownLatch(1);
        dispatcher.submit("b", () -> {
            secondRan.countDown();
            return Uni.createFrom().failure(new IllegalStateException("boom"));
        }).subscribe().with(ok -> secondGotSlot.set(true));
        Thread.sleep(200);
        assertFalse(secondGotSlot.get(), "no slot while the first handler runs");
        release.countDown();
        assertTrue(secondRan.await(5, TimeUnit.SECONDS), "the waiting event runs once the slot frees");
        // The failed handler gave its slot back: a third event gets one at once.
        dispatcher.submit("c", () -> Uni.createFrom().voidItem()).await().atMost(Duration.ofSeconds(5));
    }
}
