package io.leaseflow.launcher.launch;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.launcher.lease.LeaseEndHandler;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Consumes lease events: a start launches the lease's plans, an end expires those never launched and runs end-of-lease
 * actions. Redeliveries are harmless (every effect is a conditional transition). Unreadable records go to the DLQ.
 */
@ApplicationScoped
public class LeaseEventConsumer {
    private static final Logger LOG = Logger.getLogger(LeaseEventConsumer.class);
    private final StackLauncher launcher;
    private final LeaseEndHandler ends;
    private final LaunchSpans spans;

    public LeaseEventConsumer(StackLauncher launcher, LeaseEndHandler ends, LaunchSpans spans) {
        this.launcher = launcher;
        this.ends = ends;
        this.spans = spans;
    }

    @Incoming("lease-events")
    public Uni<Void> consume(Message<LeaseEvent> message) {
        long received = System.nanoTime();
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType)
                .orElse("");
        LeaseEvent event = message.getPayload();
        LeaseEventType leaseEvent = LeaseEventType.fromCloudEvent(type).orElse(null);
        if (event == null || leaseEvent == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        // Continues the trace of the record (lease-watcher's notification span), so the Heat call carries it too.
        Context parent = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElse(Context.root());
        Uni<Void> effect = spans.within("lease event " + leaseEvent.name().toLowerCase(), SpanKind.CONSUMER, parent,
                () -> {
                    LaunchSpans.ids(event.leaseId(), null, null, null);
                    return switch (leaseEvent) {
                        case STARTED -> launcher.launchAll(event, received);
                        case ENDING -> ends.ending(event.leaseId());
                        case ENDED -> ends.ended(event.leaseId());
                        default -> Uni.createFrom().voidItem();
                    };
                });
        return effect
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("lease=%s %s not handled: %s", event.leaseId(), type, failure.toString());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }
}
