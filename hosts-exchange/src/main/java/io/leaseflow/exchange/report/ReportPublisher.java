package io.leaseflow.exchange.report;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.leaseflow.contract.CloudEventSources;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Writes member reports to {@code leaseflow.exchange-reports} keyed by group id; completes once Kafka acknowledged. */
@ApplicationScoped
public class ReportPublisher {

    private final MutinyEmitter<String> emitter;

    ReportPublisher(@Channel("exchange-reports") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(ExchangeReport report) {
        String data;
        try {
            data = EventJson.mapper().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("a report always serialises", e));
        }
        var cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(report.reportId())
                .withType(ExchangeCloudEvents.REPORT_SUBMITTED.type())
                .withSource(CloudEventSources.HOSTS_EXCHANGE)
                .withSubject(report.groupId())
                .withDataContentType("application/json")
                .build();
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(report.groupId()).build();
        return emitter.sendMessage(Message.of(data).addMetadata(cloudEvent).addMetadata(kafka));
    }
}
