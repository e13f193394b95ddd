package io.leaseflow.watcher.publish;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.CloudEventSources;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes lease events to Kafka as binary-mode CloudEvents keyed by lease id, with the W3C {@code traceparent} of the
 * current trace; completes when Kafka acknowledged.
 */
@ApplicationScoped
public class LeaseEventPublisher {
    private final MutinyEmitter<LeaseEvent> emitter;

    public LeaseEventPublisher(@Channel("lease-events") MutinyEmitter<LeaseEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(LeaseEventType type, LeaseEvent event) {
        var cloudEvent = OutgoingCloudEventMetadata.<LeaseEvent>builder()
                .withId(CloudEventIds.leaseEvent(event.leaseId(), type))
                .withType(type.cloudEventType())
                .withSource(CloudEventSources.LEASE_WATCHER)
                .withSubject(event.leaseId())
                .withDataContentType("application/json")
                .build();
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.leaseId()).build();
        // The record continues the current trace (the notification's span) whichever thread the sink sends it on.
        return emitter.sendMessage(Message.of(event).addMetadata(cloudEvent).addMetadata(kafka)
                .addMetadata(TracingMetadata.withCurrent(Context.current())));
    }
}
