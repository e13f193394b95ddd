package io.leaseflow.exchange.inputs;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.exchange.metrics.ExchangeMetrics;

/**
 * Wakes the long-polls parked on a group in this JVM: those waiting for any change (they sent an ETag) on every
 * change, those waiting for the aggregate (no ETag) only when the group closes, so that a group of N members costs
 * N wake-ups, not N squared. Callers signal after their transaction committed; today
 * that is the member write, the delete and the expiry sweep, later also the consumer of {@code group-changed} /
 * {@code group-completed} events from other replicas. A signal carries no state: woken polls re-read the database.
 */
@ApplicationScoped
public class GroupChangeNotifier {

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Void>>> anyChange = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Void>>> closing = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    GroupChangeNotifier(ExchangeMetrics metrics) {
        metrics.parkedPolls(parked::get);
    }

    /**
     * Registers interest in the next change of a group. Register before reading the state you compare against,
     * so that a change between the read and the wait is not missed; always {@link #release} afterwards.
     */
    public CompletableFuture<Void> register(UUID groupId, boolean untilClosed) {
        var change = new CompletableFuture<Void>();
        (untilClosed ? closing : anyChange).compute(groupId, (id, set) -> {
            Set<CompletableFuture<Void>> live = set == null ? ConcurrentHashMap.newKeySet() : set;
            live.add(change);
            return live;
        });
        parked.incrementAndGet();
        return change;
    }

    /** Forgets a registration (answered, timed out or cancelled); idempotent. */
    public void release(UUID groupId, CompletableFuture<Void> change) {
        for (var waiters : java.util.List.of(anyChange, closing)) {
            waiters.computeIfPresent(groupId, (id, set) -> {
                if (set.remove(change)) {
                    parked.decrementAndGet();
                }
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * Completes the registrations that this change concerns; {@code closed} when the group left OPEN (complete,
     * expired, partial, deleted). The completions run on the caller's thread.
     */
    public void groupChanged(UUID groupId, boolean closed) {
        wake(anyChange.remove(groupId));
        if (closed) {
            wake(closing.remove(groupId));
        }
    }

    private void wake(Set<CompletableFuture<Void>> woken) {
        if (woken != null) {
            parked.addAndGet(-woken.size());
            woken.forEach(change -> change.complete(null));
        }
    }

    int parkedCount() {
        return parked.get();
    }
}
