package io.leaseflow.watcher.notification;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.blazar.BlazarLeases;
import io.leaseflow.watcher.dedup.ObservationLog;
import io.leaseflow.watcher.publish.LeaseEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * One notification, whichever way it came (AMQP or webhook): parse, keep Blazar lease events, drop facts already
 * published, fill in what Chameleon's short payload lacks from Blazar, publish, remember. A failure of Blazar or
 * Kafka fails the returned Uni so that the caller redelivers; unreadable input goes to the dead-letter topic.
 */
@ApplicationScoped
public class NotificationIntake {
    private static final Logger LOG = Logger.getLogger(NotificationIntake.class);
    private final OsloEnvelopeParser parser;
    private final LeaseEventFactory events;
    private final BlazarLeases blazar;
    private final ObservationLog observations;
    private final LeaseEventPublisher publisher;
    private final NotificationDeadLetters deadLetters;
    private final MeterRegistry metrics;

    public NotificationIntake(OsloEnvelopeParser parser, LeaseEventFactory events, BlazarLeases blazar,
            ObservationLog observations, LeaseEventPublisher publisher, NotificationDeadLetters deadLetters,
            MeterRegistry metrics) {
        this.parser = parser;
        this.events = events;
        this.blazar = blazar;
        this.observations = observations;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    public Uni<Void> accept(byte[] body, ObservedVia via) {
        BlazarNotification notification;
        try {
            notification = parser.parse(body);
        } catch (MalformedNotificationException e) {
            LOG.warnf("dead-lettering unreadable notification via %s: %s", via, e.getMessage());
            return deadLetters.send(body, e.getMessage(), via.name());
        }
        Optional<LeaseEventType> type = relevantType(notification);
        if (type.isEmpty()) {
            metrics.counter("leaseflow_watcher_notifications_ignored_total", "via", via.name()).increment();
            return Uni.createFrom().voidItem();
        }
        String leaseId = notification.leaseId();
        if (leaseId == null || leaseId.isBlank()) {
            return deadLetters.send(body, "payload has no lease_id", via.name());
        }
        String eventId = CloudEventIds.leaseEvent(leaseId, type.get());
        return observations.seenBefore(eventId).flatMap(seen -> {
            if (seen) {
                metrics.counter("leaseflow_watcher_duplicates_total", "via", via.name()).increment();
                LOG.debugf("lease=%s type=%s already published; counted", leaseId, type.get());
                return Uni.createFrom().voidItem();
            }
            return toEvent(notification, via)
                    .flatMap(event -> publisher.publish(type.get(), event))
                    .flatMap(done -> observations.recordPublished(eventId, leaseId, type.get().cloudEventType(), via))
                    .invoke(() -> {
                        metrics.counter("leaseflow_watcher_lease_events_published_total", "type",
                                type.get().name().toLowerCase(), "via", via.name()).increment();
                        LOG.infof("lease=%s published %s (observed via %s)", leaseId, type.get().cloudEventType(), via);
                    });
        });
    }

    private Optional<LeaseEventType> relevantType(BlazarNotification n) {
        if (!n.publisherId().startsWith("blazar.") || !n.eventType().startsWith("lease.")) {
            return Optional.empty();
        }
        return LeaseEventType.fromBlazar(n.eventType());
    }

    private Uni<LeaseEvent> toEvent(BlazarNotification n, ObservedVia via) {
        if (events.isComplete(n.payload())) {
            return Uni.createFrom().item(() -> events.fromLease(n.payload(), via, n.messageId()));
        }
        return blazar.lease(n.leaseId()).map(lease -> events.fromLease(lease, via, n.messageId()));
    }
}
