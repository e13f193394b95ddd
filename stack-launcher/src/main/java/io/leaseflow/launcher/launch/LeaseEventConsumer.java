package io.leaseflow.launcher.launch;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.launcher.lease.LeaseEndHandler;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes lease events: a start launches the lease's plans, an end expires those never launched and runs end-of-lease
 * actions. Redeliveries are harmless (every effect is a conditional transition). Unreadable records and events whose
 * effect fails go to the DLQ ({@code leaseflow.lease-events.dlq}), where operators can replay them.
 */
@ApplicationScoped
public class LeaseEventConsumer {
    private static final Logger LOG = Logger.getLogger(LeaseEventConsumer.class);
    private final StackLauncher launcher;
    private final LeaseEndHandler ends;

    public LeaseEventConsumer(StackLauncher launcher, LeaseEndHandler ends) {
        this.launcher = launcher;
        this.ends = ends;
    }

    @Incoming("lease-events")
    public Uni<Void> consume(Message<LeaseEvent> message) {
        long received = System.nanoTime();
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType)
                .orElse("");
        LeaseEvent event = message.getPayload();
        if (event == null) {
            // Unreadable value (fail-on-deserialization-failure=false): to the DLQ with the reason, never dropped.
            String reason = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                    .map(h -> "unreadable lease event: " + new String(h.value(), StandardCharsets.UTF_8))
                    .orElse("lease event without a value");
            return Uni.createFrom().completionStage(message.nack(new UnreadableLeaseEventException(reason)));
        }
        return handle(type, event, received)
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("lease=%s %s not handled: %s", event.leaseId(), type, failure.toString());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /**
     * The effect of one lease event of CloudEvent type {@code type}, for live records and replayed dead letters
     * alike; types other than lease events are ignored. Every effect is a conditional transition, so a repeat is
     * harmless.
     */
    public Uni<Void> handle(String type, LeaseEvent event, long receivedNanos) {
        LeaseEventType leaseEvent = LeaseEventType.fromCloudEvent(type).orElse(null);
        if (leaseEvent == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (leaseEvent) {
            case STARTED -> launcher.launchAll(event, receivedNanos);
            case ENDING -> ends.ending(event.leaseId());
            case ENDED -> ends.ended(event.leaseId());
            default -> Uni.createFrom().voidItem();
        };
    }

    /** The record's value could not be read as a lease event. */
    public static class UnreadableLeaseEventException extends RuntimeException {
        public UnreadableLeaseEventException(String reason) {
            super(reason);
        }
    }
}
