package io.leaseflow.watcher.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.leaseflow.contract.ObservedVia;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Keeps notifications that could not be completed yet, and hands them back when they are due. */
@ApplicationScoped
public class DeferredNotifications {
    private final Duration maxBackoff;
    private final MeterRegistry metrics;
    private volatile double lastCount;

    public DeferredNotifications(MeterRegistry metrics,
            @ConfigProperty(name = "leaseflow.deferred.max-backoff", defaultValue = "5m") Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
        this.metrics = metrics;
        metrics.gauge("leaseflow_watcher_deferred_notifications", this, d -> d.lastCount);
    }

    public Uni<Void> defer(byte[] body, ObservedVia via, String eventType, String reason) {
        DeferredNotification n = new DeferredNotification();
        n.body = body;
        n.via = via.name();
        n.attempts = 0;
        n.receivedAt = Instant.now();
        n.nextAttemptAt = n.receivedAt.plusSeconds(1);
        n.lastError = storable(reason);
        return Panache.withTransaction(n::persist).replaceWithVoid()
                .invoke(() -> metrics.counter("leaseflow_watcher_deferred_total", "source", via.name(), "event_type",
                        eventType).increment());
    }

    public Uni<List<DeferredNotification>> due(int limit) {
        return Panache.withSession(() -> DeferredNotification.<DeferredNotification>find(
                "nextAttemptAt <= ?1 order by nextAttemptAt", Instant.now()).page(0, limit).list()
                .call(list -> DeferredNotification.count().invoke(c -> lastCount = c)));
    }

    public Uni<Void> done(DeferredNotification n) {
        return Panache.withTransaction(() -> DeferredNotification.deleteById(n.id)).replaceWithVoid();
    }

    /** Exponential backoff from 2 s, capped. */
    public Uni<Void> retryLater(DeferredNotification n, String reason) {
        int attempts = n.attempts + 1;
        long seconds = Math.min(maxBackoff.toSeconds(), 1L << Math.min(attempts, 20));
        return Panache.withTransaction(() -> DeferredNotification.update(
                "attempts = ?1, nextAttemptAt = ?2, lastError = ?3 where id = ?4",
                attempts, Instant.now().plusSeconds(seconds), storable(reason), n.id)).replaceWithVoid();
    }

    /** An error text may quote a malformed id; PostgreSQL text cannot hold U+0000 (stored as U+FFFD). */
    private static String storable(String reason) {
        return reason == null ? null : reason.replace('\u0000', '\uFFFD');
    }
}
