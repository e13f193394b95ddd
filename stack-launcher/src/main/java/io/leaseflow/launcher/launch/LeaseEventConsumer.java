package io.leaseflow.launcher.launch;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.LeaseStartOverdue;
import io.leaseflow.launcher.lease.LeaseDates;
import io.leaseflow.launcher.lease.LeaseEndHandler;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.smallrye.mutiny.Uni;
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
    private final LeaseDates dates;
    private final LauncherMetrics metrics;

    public LeaseEventConsumer(StackLauncher launcher, LeaseEndHandler ends, LeaseDates dates, LauncherMetrics metrics) {
        this.launcher = launcher;
        this.ends = ends;
        this.dates = dates;
        this.metrics = metrics;
    }

    @Incoming("lease-events")
    public Uni<Void> consume(Message<LeaseEvent> message) {
        long received = System.nanoTime();
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType)
                .orElse("");
        if (LeaseStartOverdue.TYPE.equals(type)) {
            // our own watchdog's alarm, for lease-watcher; the start it asks for arrives as lease.started
            return Uni.createFrom().completionStage(message.ack());
        }
        LeaseEvent event = message.getPayload();
        LeaseEventType leaseEvent = LeaseEventType.fromCloudEvent(type).orElse(null);
        if (event == null || leaseEvent == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        Uni<Void> effect = switch (leaseEvent) {
            case STARTED -> launcher.launchAll(event, received);
            case ENDING -> ends.ending(event.leaseId());
            case ENDED -> ends.ended(event.leaseId());
            case UPDATED -> dates.updated(event);
            default -> Uni.createFrom().voidItem();
        };
        return effect
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("lease=%s %s not handled, dead-lettered: %s", event.leaseId(), type,
                            failure.toString());
                    metrics.deadLettered();
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }
}
