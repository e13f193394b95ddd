package io.leaseflow.watcher.notification;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.trace.LeaseSpans;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Consumes Blazar's notifications from our own AMQP queue. The message is acknowledged only once its fact is on
 * Kafka, on the dead-letter topic or deferred in PostgreSQL; any other failure requeues it.
 */
@ApplicationScoped
public class BlazarNotificationConsumer {
    private static final Logger LOG = Logger.getLogger(BlazarNotificationConsumer.class);
    private final NotificationIntake intake;
    private final NotificationSilence silence;
    private final LeaseSpans spans;

    public BlazarNotificationConsumer(NotificationIntake intake, NotificationSilence silence, LeaseSpans spans) {
        this.intake = intake;
        this.silence = silence;
        this.spans = spans;
    }

    /** Each notification starts a trace (Blazar sends no trace context) that follows its event through Kafka. */
    @Incoming("blazar-notifications")
    public Uni<Void> consume(Message<Object> message) {
        silence.received();
        Context parent = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElse(Context.root());
        return spans.within("blazar notification", parent, () -> Uni.createFrom().item(() -> bytes(message.getPayload()))
                .flatMap(body -> intake.accept(body, ObservedVia.NOTIFICATION)))
                .flatMap(outcome -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("notification not processed, requeueing: %s", failure.toString());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    // oslo sets content_encoding=utf-8, so the connector hands over raw bytes; other publishers may not.
    static byte[] bytes(Object payload) {
        if (payload instanceof byte[] raw) {
            return raw;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof JsonObject || payload instanceof JsonArray) {
            return payload.toString().getBytes(StandardCharsets.UTF_8);
        }
        return payload == null ? new byte[0] : payload.toString().getBytes(StandardCharsets.UTF_8);
    }
}
