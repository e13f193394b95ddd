package io.leaseflow.watcher.notification;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.deadletter.DeadLetterHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Keeps unreadable notifications, with the reason in headers, on a Kafka dead-letter topic instead of dropping them. */
@ApplicationScoped
public class NotificationDeadLetters {
    public static final String REASON_HEADER = "leaseflow-dlq-reason";
    public static final String SOURCE_HEADER = "leaseflow-dlq-source";
    /** Where the notification came in: our AMQP queue or the webhook (shown by the operator API). */
    public static final String ORIGIN_HEADER = DeadLetterHeaders.ORIGIN;
    static final String WEBHOOK_ORIGIN = "POST /v1/notifications";
    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry metrics;
    private final String queue;

    public NotificationDeadLetters(@Channel("notifications-dlq") MutinyEmitter<byte[]> emitter, MeterRegistry metrics,
            @ConfigProperty(name = "mp.messaging.incoming.blazar-notifications.queue.name",
                    defaultValue = "leaseflow.blazar") String queue) {
        this.emitter = emitter;
        this.metrics = metrics;
        this.queue = queue;
    }

    public Uni<Void> send(byte[] body, String reason, String source) {
        metrics.counter("leaseflow_watcher_notifications_dead_lettered_total", "source", source).increment();
        var headers = new RecordHeaders()
                .add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8))
                .add(ORIGIN_HEADER, origin(source).getBytes(StandardCharsets.UTF_8));
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build();
        return emitter.sendMessage(Message.of(body == null ? new byte[0] : body).addMetadata(kafka));
    }

    private String origin(String source) {
        return ObservedVia.WEBHOOK.name().equals(source) ? WEBHOOK_ORIGIN : "amqp:" + queue;
    }
}
