package io.leaseflow.launcher.watchdog;

import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.leaseflow.contract.CloudEventSources;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseStartOverdue;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends {@code io.leaseflow.lease.start-overdue} to {@code leaseflow.lease-events} (key = lease id, so it follows the
 * lease's own events in its partition), as a binary CloudEvent with one id per lease; completes on Kafka's ack.
 */
@ApplicationScoped
public class StartOverduePublisher {
    private final MutinyEmitter<String> emitter;

    public StartOverduePublisher(@Channel("lease-alerts") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(LeaseStartOverdue overdue) {
        String json;
        try {
            json = EventJson.mapper().writeValueAsString(overdue);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        var cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(LeaseStartOverdue.cloudEventId(overdue.leaseId()))
                .withType(LeaseStartOverdue.TYPE)
                .withSource(CloudEventSources.STACK_LAUNCHER)
                .withSubject(overdue.leaseId())
                .withDataContentType("application/json")
                .withTimestamp(overdue.detectedAt().atZone(ZoneOffset.UTC))
                .build();
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(overdue.leaseId()).build();
        return emitter.sendMessage(Message.of(json).addMetadata(cloudEvent).addMetadata(kafka));
    }
}
