package io.leaseflow.exchange.inputs;

import java.util.List;
import java.util.Map;
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
 * N wake-ups, not N squared. Signals come from the {@code leaseflow.exchange-events} consumer (every replica sees
 * every group's events) and from the resync timer that repairs lost events. A signal carries no state: woken polls
 * re-read the database.
 */
@ApplicationScoped
public class GroupChangeNotifier {

    private final ConcurrentHashMap<UUID, Set<Waiter>> anyChange = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Set<Waiter>> closing = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    GroupChangeNotifier(ExchangeMetrics metrics) {
        metrics.parkedPolls(parked::get);
    }

    /** One parked poll: completes on the change it waits for; {@link #seen} records the revision it compared. */
    public static final class Waiter {
        private final CompletableFuture<Void> change = new CompletableFuture<>();
        private final boolean untilClosed;
        private volatile long seenRevision = -1;

        private Waiter(boolean untilClosed) {
            this.untilClosed = untilClosed;
        }

        public CompletableFuture<Void> change() {
            return change;
        }

        public void seen(long revision) {
            seenRevision = revision;
        }
    }

    /**
     * Like {@link #register}, but only while fewer than {@code limit} polls are parked; empty when the limit is
     * reached, so that memory stays bounded however many agents poll.
     */
    public java.util.Optional<Waiter> tryRegister(UUID groupId, boolean untilClosed, int limit) {
        int now;
        do {
            now = parked.get();
            if (now >= limit) {
                return java.util.Optional.empty();
            }
        } while (!parked.compareAndSet(now, now + 1));
        var waiter = new Waiter(untilClosed);
        add(groupId, waiter);
        return java.util.Optional.of(waiter);
    }

    /**
     * Registers interest in the next change of a group. Register before reading the state you compare against,
     * so that a change between the read and the wait is not missed; always {@link #release} afterwards.
     */
    public Waiter register(UUID groupId, boolean untilClosed) {
        var waiter = new Waiter(untilClosed);
        parked.incrementAndGet();
        add(groupId, waiter);
        return waiter;
    }

    private void add(UUID groupId, Waiter waiter) {
        (waiter.untilClosed ? closing : anyChange).compute(groupId, (id, set) -> {
            Set<Waiter> live = set == null ? ConcurrentHashMap.newKeySet() : set;
            live.add(waiter);
            return live;
        });
    }

    /** Forgets a registration (answered, timed out or cancelled); idempotent. */
    public void release(UUID groupId, Waiter waiter) {
        (waiter.untilClosed ? closing : anyChange).computeIfPresent(groupId, (id, set) -> {
            if (set.remove(waiter)) {
                parked.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Completes the registrations that this change concerns; {@code closed} when the group left OPEN (complete,
     * expired, partial, deleted). The completions run on the caller's thread.
     */
    public void groupChanged(UUID groupId, boolean closed) {
        wake(groupId, anyChange, w -> true);
        if (closed) {
            wake(groupId, closing, w -> true);
        }
    }

    /** The groups some poll in this JVM waits on; the resync timer checks exactly these. */
    public Set<UUID> watchedGroups() {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        ids.addAll(anyChange.keySet());
        ids.addAll(closing.keySet());
        return ids;
    }

    /** State of a watched group in the database; {@code null} in the map means deleted. */
    public record Current(boolean open, long revision) {
    }

    /** Wakes the polls that missed a change: closed or deleted groups, and revisions newer than a poll compared. */
    public void resync(Map<UUID, Current> current, Set<UUID> checked) {
        for (UUID id : checked) {
            Current now = current.get(id);
            if (now == null || !now.open()) {
                groupChanged(id, true);
            } else {
                wake(id, anyChange, w -> w.seenRevision >= 0 && w.seenRevision < now.revision());
            }
        }
    }

    private void wake(UUID groupId, ConcurrentHashMap<UUID, Set<Waiter>> waiters,
            java.util.function.Predicate<Waiter> which) {
        List<Waiter> woken = new java.util.ArrayList<>();
        waiters.computeIfPresent(groupId, (id, set) -> {
            set.removeIf(w -> {
                if (which.test(w)) {
                    woken.add(w);
                    return true;
                }
                return false;
            });
            return set.isEmpty() ? null : set;
        });
        parked.addAndGet(-woken.size());
        woken.forEach(w -> w.change.complete(null));
    }

    int parkedCount() {
        return parked.get();
    }
}
