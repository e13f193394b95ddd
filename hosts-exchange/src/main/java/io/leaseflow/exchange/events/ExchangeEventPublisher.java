package io.leaseflow.exchange.events;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.CloudEventSources;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Writes exchange events (binary-mode CloudEvents keyed by group id) to {@code leaseflow.exchange-events}. */
@ApplicationScoped
public class ExchangeEventPublisher {

    private final MutinyEmitter<String> emitter;

    ExchangeEventPublisher(@Channel("exchange-events") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** An event to publish; the id is deterministic per fact, so a republished fact is recognised downstream. */
    public record Outgoing(ExchangeCloudEvents type, ExchangeEvent data) {
        public String id() {
            return switch (type) {
                case MEMBER_REPORTED -> CloudEventIds.nameBased("exchange/reports/" + data.decisions().stream()
                        .map(ExchangeEvent.Report::reportId).collect(Collectors.joining(",")));
                default -> CloudEventIds.nameBased("exchange/group/" + data.groupId() + "/" + type.type() + "/"
                        + data.revision());
            };
        }
    }

    public Uni<Void> publish(Outgoing event) {
        String data;
        try {
            data = EventJson.mapper().writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("an event always serialises", e));
        }
        var cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(event.id())
                .withType(event.type().type())
                .withSource(CloudEventSources.HOSTS_EXCHANGE)
                .withSubject(event.data().groupId())
                .withDataContentType("application/json")
                .build();
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.data().groupId()).build();
        return emitter.sendMessage(Message.of(data).addMetadata(cloudEvent).addMetadata(kafka));
    }

    /** Publishes all, concurrently; completes when Kafka acknowledged every one. */
    public Uni<Void> publishAll(List<Outgoing> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(events.stream().map(this::publish).toList()).andCollectFailures().replaceWithVoid();
    }
}
