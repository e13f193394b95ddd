package io.leaseflow.exchange.report;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Writes this replica published and whose decision it waits for. The {@code member-reported} event completes them;
 * the resync timer completes those whose event was lost from the processed-report table.
 */
@ApplicationScoped
public class PendingDecisions {

    private record Pending(CompletableFuture<Decision> decision, long since) {
    }

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    /** Register before publishing, so that a fast decision is never missed. */
    public void expect(String reportId) {
        pending.put(reportId, new Pending(new CompletableFuture<>(), System.nanoTime()));
    }

    /** The decision, or {@code null} when none arrived within {@code timeout}. */
    public Uni<Decision> await(String reportId, Duration timeout) {
        Pending p = pending.get(reportId);
        if (p == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().completionStage(p.decision())
                .ifNoItem().after(timeout).recoverWithItem((Decision) null);
    }

    public void forget(String reportId) {
        pending.remove(reportId);
    }

    public void decided(String reportId, Decision decision) {
        Pending p = pending.get(reportId);
        if (p != null) {
            p.decision().complete(decision);
        }
    }

    /** Report ids that have waited longer than {@code age}: candidates for the resync. */
    public List<String> waitingLongerThan(Duration age) {
        long cutoff = System.nanoTime() - age.toNanos();
        return pending.entrySet().stream().filter(e -> e.getValue().since() < cutoff && !e.getValue().decision().isDone())
                .map(java.util.Map.Entry::getKey).limit(1000).toList();
    }
}
