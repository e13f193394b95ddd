package io.leaseflow.watcher.notification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.contract.Topics;
import io.leaseflow.deadletter.DeadLetterHeaders;
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
    public static final String ORIGINAL_BYTES_HEADER = "leaseflow-dlq-original-bytes";
    public static final String ORIGINAL_SHA256_HEADER = "leaseflow-dlq-original-sha256";
    /**
     * Bodies above this are cut: a record over the topic's {@code max.message.bytes} (1 MiB by default) would fail
     * the dead-letter write, and the message would be redelivered for ever instead of set aside.
     */
    static final int MAX_KEPT_BYTES = 256 * 1024;
    /** Where the notification came in: our AMQP queue or the webhook (shown by the operator API). */
    public static final String ORIGIN_HEADER = DeadLetterHeaders.ORIGIN;
    static final String WEBHOOK_ORIGIN = "POST /v1/notifications";
    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry metrics;
    private final String queue;
    private final Counter deadLettered;

    public NotificationDeadLetters(@Channel("notifications-dlq") MutinyEmitter<byte[]> emitter, MeterRegistry metrics,
            @ConfigProperty(name = "mp.messaging.incoming.blazar-notifications.queue.name",
                    defaultValue = "leaseflow.blazar") String queue) {
        this.emitter = emitter;
        this.metrics = metrics;
        this.queue = queue;
        // the same name in every service, registered at start so that the DLQ alert has a series before any poison
        this.deadLettered = Counter.builder("leaseflow_dead_lettered")
                .description("Records written to a dead-letter topic")
                .tag("topic", "leaseflow.blazar-notifications" + Topics.DLQ_SUFFIX).register(metrics);
    }

    public Uni<Void> send(byte[] body, String reason, String source) {
        metrics.counter("leaseflow_watcher_notifications_dead_lettered_total", "source", source).increment();
        byte[] kept = body == null ? new byte[0] : body;
        deadLettered.increment();
        var headers = new RecordHeaders()
                .add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8))
                .add(ORIGIN_HEADER, origin(source).getBytes(StandardCharsets.UTF_8));
        if (kept.length > MAX_KEPT_BYTES) {
            headers.add(ORIGINAL_BYTES_HEADER, Integer.toString(kept.length).getBytes(StandardCharsets.UTF_8))
                    .add(ORIGINAL_SHA256_HEADER, sha256(kept).getBytes(StandardCharsets.UTF_8));
            kept = Arrays.copyOf(kept, MAX_KEPT_BYTES);
        }
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build();
        return emitter.sendMessage(Message.of(kept).addMetadata(kafka));
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String origin(String source) {
        return ObservedVia.WEBHOOK.name().equals(source) ? WEBHOOK_ORIGIN : "amqp:" + queue;
    }
}
