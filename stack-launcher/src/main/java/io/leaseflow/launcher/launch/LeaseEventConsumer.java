package io.leaseflow.launcher.launch;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.LeaseStartOverdue;
import io.leaseflow.launcher.config.LauncherConfig;
import io.leaseflow.launcher.lease.LeaseDates;
import io.leaseflow.launcher.lease.LeaseEndHandler;
import io.leaseflow.launcher.metrics.LauncherMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Consumes lease events: a start launches the lease's plans, an end expires those never launched and runs end-of-lease
 * actions. Redeliveries are harmless (every effect is a conditional transition). Unreadable records go to the DLQ.
 * Leases are handled concurrently, each lease's events in order ({@link LeaseOrderedDispatcher}).
 */
@ApplicationScoped
public class LeaseEventConsumer {
    private static final Logger LOG = Logger.getLogger(LeaseEventConsumer.class);
    private final StackLauncher launcher;
    private final LeaseEndHandler ends;
    private final LeaseOrderedDispatcher dispatcher;
    private final LauncherConfig config;
    private final LeaseDates dates;
    private final LauncherMetrics metrics;

    public LeaseEventConsumer(StackLauncher launcher, LeaseEndHandler ends, LeaseOrderedDispatcher dispatcher,
            LauncherConfig config, LeaseDates dates, LauncherMetrics metrics) {
        this.launcher = launcher;
        this.ends = ends;
        this.dispatcher = dispatcher;
        this.config = config;
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
        return dispatcher.submit(event.leaseId(), () -> handle(message, event, leaseEvent, type, received));
    }

    private Uni<Void> handle(Message<LeaseEvent> message, LeaseEvent event, LeaseEventType leaseEvent, String type,
            long received) {
        // Deferred: a handler that throws while assembling its pipeline is nacked like one that fails later.
        Uni<Void> effect = Uni.createFrom().deferred(() -> switch (leaseEvent) {
            case STARTED -> launcher.launchAll(event, received);
            case ENDING -> ends.ending(event.leaseId());
            case ENDED -> ends.ended(event.leaseId());
            case UPDATED -> dates.updated(event);
            default -> Uni.createFrom().voidItem();
        });
        // Launch failures are recorded on the plans; what fails here is the database or Kafka being away (a
        // restart, a failover). Retrying keeps the start instead of dead-lettering it; every step is conditional,
        // so a retry after a partial success does nothing twice.
        return effect
                .onFailure().invoke(failure -> LOG.warnf("lease=%s %s not handled yet (retrying): %s",
                        event.leaseId(), type, failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(15)).withJitter(0.3)
                .expireIn(config.eventRetryFor().toMillis())
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf("lease=%s %s not handled after retrying for %s; dead-lettered: %s", event.leaseId(),
                            type, config.eventRetryFor(), failure.toString());
                    metrics.deadLettered();
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }
}
