package io.leaseflow.watcher.notification;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leaseflow.contract.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Keeps unreadable notifications, with the reason in headers, on a Kafka dead-letter topic instead of dropping them. */
@Startup
@ApplicationScoped
public class NotificationDeadLetters {
    public static final String REASON_HEADER = "leaseflow-dlq-reason";
    public static final String SOURCE_HEADER = "leaseflow-dlq-source";
    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry metrics;

    private final Counter deadLettered;

    public NotificationDeadLetters(@Channel("notifications-dlq") MutinyEmitter<byte[]> emitter, MeterRegistry metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
        // the same name in every service, registered at start so that the DLQ alert has a series before any poison
        this.deadLettered = Counter.builder("leaseflow_dead_lettered")
                .description("Records written to a dead-letter topic")
                .tag("topic", "leaseflow.blazar-notifications" + Topics.DLQ_SUFFIX).register(metrics);
    }

    public Uni<Void> send(byte[] body, String reason, String source) {
        metrics.counter("leaseflow_watcher_notifications_dead_lettered_total", "source", source).increment();
        deadLettered.increment();
        var headers = new RecordHeaders()
                .add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build();
        return emitter.sendMessage(Message.of(body == null ? new byte[0] : body).addMetadata(kafka));
    }
}
