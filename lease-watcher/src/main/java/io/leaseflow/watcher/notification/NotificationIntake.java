package io.leaseflow.watcher.notification;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.blazar.BlazarLeases;
import io.leaseflow.watcher.publish.LeaseFactPublisher;
import io.leaseflow.watcher.trace.LeaseSpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * One notification, whichever way it came (AMQP, webhook, a deferred retry): parse, keep Blazar lease events, skip
 * facts already published, fill in what Chameleon's short payload lacks from Blazar, publish once. Unreadable input
 * goes to the dead-letter topic; a Blazar outage defers the notification to PostgreSQL; a Kafka or database failure
 * fails the returned Uni so that the caller redelivers.
 */
@ApplicationScoped
public class NotificationIntake {
    private static final Logger LOG = Logger.getLogger(NotificationIntake.class);
    private final OsloEnvelopeParser parser;
    private final LeaseEventFactory events;
    private final BlazarLeases blazar;
    private final LeaseFactPublisher facts;
    private final NotificationDeadLetters deadLetters;
    private final DeferredNotifications deferred;
    private final MeterRegistry metrics;

    public NotificationIntake(OsloEnvelopeParser parser, LeaseEventFactory events, BlazarLeases blazar,
            LeaseFactPublisher facts, NotificationDeadLetters deadLetters, DeferredNotifications deferred,
            MeterRegistry metrics) {
        this.parser = parser;
        this.events = events;
        this.blazar = blazar;
        this.facts = facts;
        this.deadLetters = deadLetters;
        this.deferred = deferred;
        this.metrics = metrics;
    }

    /** Processes the notification; a Blazar outage defers it to PostgreSQL instead of failing. */
    public Uni<IntakeOutcome> accept(byte[] body, ObservedVia via) {
        return process(body, via).onFailure(BlazarUnavailableException.class).recoverWithUni(e -> {
            LOG.warnf("notification received via %s deferred: %s", via, e.getMessage());
            String type = ((BlazarUnavailableException) e).eventType();
            return deferred.defer(body, via, type, e.getMessage()).replaceWith(IntakeOutcome.DEFERRED);
        });
    }

    /** Processes the notification; fails with {@link BlazarUnavailableException} while Blazar cannot be asked. */
    public Uni<IntakeOutcome> process(byte[] body, ObservedVia via) {
        return process(body, via, reason -> deadLetter(body, reason, via));
    }

    /**
     * The same path for an operator's replay of a dead letter: the same dedup, but unreadable input fails with
     * {@link MalformedNotificationException} (the letter keeps the new reason) instead of a new dead-letter record,
     * and a Blazar outage fails with {@link BlazarUnavailableException} instead of deferring.
     */
    public Uni<IntakeOutcome> replay(byte[] body, ObservedVia via) {
        return process(body, via, reason -> Uni.createFrom().failure(new MalformedNotificationException(reason)));
    }

    private Uni<IntakeOutcome> process(byte[] body, ObservedVia via, Function<String, Uni<IntakeOutcome>> unreadable) {
        BlazarNotification notification;
        try {
            notification = parser.parse(body);
        } catch (MalformedNotificationException e) {
            return unreadable.apply(e.getMessage());
        }
        Optional<LeaseEventType> type = relevantType(notification);
        if (type.isEmpty()) {
            metrics.counter("leaseflow_watcher_notifications_ignored_total", "source", via.name()).increment();
            return Uni.createFrom().item(IntakeOutcome.IGNORED);
        }
        String leaseId = notification.leaseId();
        if (leaseId == null || leaseId.isBlank()) {
            return unreadable.apply("payload has no lease_id");
        }
        LeaseSpans.lease(leaseId);
        return facts.alreadyPublished(leaseId, type.get(), via, notification.messageId()).flatMap(seen -> seen
                ? Uni.createFrom().item(IntakeOutcome.DUPLICATE)
                : enrichAndPublish(notification, type.get(), via, unreadable));
    }

    private Uni<IntakeOutcome> enrichAndPublish(BlazarNotification n, LeaseEventType type, ObservedVia via,
            Function<String, Uni<IntakeOutcome>> unreadable) {
        return Uni.createFrom().deferred(() -> toEvent(n, type, via))
                .invoke(event -> LeaseSpans.reservations(reservationIds(event)))
                .flatMap(event -> facts.publishOnce(type, event, timestamp(n)))
                .map(fresh -> fresh ? IntakeOutcome.PUBLISHED : IntakeOutcome.DUPLICATE)
                .onFailure(MalformedNotificationException.class)
                .recoverWithUni(e -> unreadable.apply(e.getMessage()));
    }

    private Uni<LeaseEvent> toEvent(BlazarNotification n, LeaseEventType type, ObservedVia via) {
        if (events.isComplete(n.payload())) {
            return Uni.createFrom().item(events.fromLease(n.payload(), via, n.messageId()));
        }
        return blazar.lease(n.leaseId())
                .map(lease -> events.fromLease(lease, via, n.messageId()))
                .onFailure(BlazarLeases::isNotFound).recoverWithUni(gone -> {
                    if (type == LeaseEventType.DELETED) {
                        // Blazar sends lease.delete after destroying the row: the payload is all there is.
                        return Uni.createFrom().item(events.fromLease(n.payload(), via, n.messageId()));
                    }
                    return Uni.createFrom().failure(new MalformedNotificationException(
                            "lease " + n.leaseId() + " does not exist in Blazar"));
                })
                .onFailure(f -> !(f instanceof MalformedNotificationException))
                .transform(f -> new BlazarUnavailableException(type.blazarEventType(), describe(f)));
    }

    private Uni<IntakeOutcome> deadLetter(byte[] body, String reason, ObservedVia via) {
        LOG.warnf("dead-lettering notification received via %s: %s", via, reason);
        return deadLetters.send(body, reason, via.name()).replaceWith(IntakeOutcome.DEAD_LETTERED);
    }

    static String reservationIds(LeaseEvent event) {
        return event.reservations() == null ? null
                : String.join(",", event.reservations().stream().map(LeaseEvent.Reservation::id).toList());
    }

    private static Optional<LeaseEventType> relevantType(BlazarNotification n) {
        if (!n.publisherId().startsWith("blazar.") || !n.eventType().startsWith("lease.")) {
            return Optional.empty();
        }
        return LeaseEventType.fromBlazar(n.eventType());
    }

    /** oslo's timestamp: naive UTC {@code 2026-11-25 13:07:54.619030}, the fraction dropped when zero. */
    static Instant timestamp(BlazarNotification n) {
        if (n.timestamp() == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(n.timestamp().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            return "Blazar answered " + wae.getResponse().getStatus();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Blazar (or Keystone on its way) could not answer now; the notification is kept and retried. */
    public static class BlazarUnavailableException extends RuntimeException {
        private final String eventType;

        BlazarUnavailableException(String eventType, String message) {
            super(message);
            this.eventType = eventType;
        }

        public String eventType() {
            return eventType;
        }
    }
}
