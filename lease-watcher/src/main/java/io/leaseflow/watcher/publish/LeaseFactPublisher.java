package io.leaseflow.watcher.publish;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.dedup.ObservationLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Publishes each lease fact (lease id, type) once, whichever path observed it and however they race: a fact
 * already published is only counted; a new one goes to Kafka inside the transaction that records it.
 */
@ApplicationScoped
public class LeaseFactPublisher {
    private static final Logger LOG = Logger.getLogger(LeaseFactPublisher.class);
    private final ObservationLog observations;
    private final LeaseEventPublisher kafka;
    private final MeterRegistry metrics;

    public LeaseFactPublisher(ObservationLog observations, LeaseEventPublisher kafka, MeterRegistry metrics) {
        this.observations = observations;
        this.kafka = kafka;
        this.metrics = metrics;
    }

    /** True if the fact was published before (and is only counted now). */
    public Uni<Boolean> alreadyPublished(String leaseId, LeaseEventType type, ObservedVia via, String messageId) {
        return observations.seenBefore(CloudEventIds.leaseEvent(leaseId, type), leaseId, type.cloudEventType(), via,
                messageId).invoke(seen -> {
            if (seen) {
                metrics.counter("leaseflow_watcher_duplicates_total", "source", via.name()).increment();
            }
        });
    }

    /**
     * Publishes the fact unless it was published before. {@code happenedAt} (the notification's timestamp, if any)
     * feeds the notification-to-Kafka lag histogram.
     */
    public Uni<Boolean> publishOnce(LeaseEventType type, LeaseEvent event, Instant happenedAt) {
        String source = event.observedVia().name();
        return observations.publishOnce(CloudEventIds.leaseEvent(event.leaseId(), type), event.leaseId(),
                type.cloudEventType(), event.observedVia(), event.sourceMessageId(), () -> kafka.publish(type, event))
                .invoke(fresh -> {
                    if (fresh) {
                        published(type, event, happenedAt);
                    } else {
                        metrics.counter("leaseflow_watcher_duplicates_total", "source", source).increment();
                    }
                });
    }

    private void published(LeaseEventType type, LeaseEvent event, Instant happenedAt) {
        String source = event.observedVia().name();
        metrics.counter("leaseflow_lease_events_total", "source", source, "type", type.name().toLowerCase())
                .increment();
        if (happenedAt != null) {
            Duration lag = Duration.between(happenedAt, Instant.now());
            Timer.builder("leaseflow_notification_to_kafka_seconds")
                    .description("From Blazar's notification timestamp to Kafka's acknowledgement")
                    .tag("source", source).publishPercentileHistogram()
                    .register(metrics).record(lag.isNegative() ? Duration.ZERO : lag);
        }
        LOG.infof("lease=%s published %s (observed via %s)", event.leaseId(), type.cloudEventType(), source);
    }
}
