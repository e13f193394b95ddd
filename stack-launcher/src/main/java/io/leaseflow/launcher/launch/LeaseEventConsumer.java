package io.leaseflow.launcher.launch;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/** Consumes lease events; a start launches the lease's plans. Unreadable records go to the DLQ (channel config). */
@ApplicationScoped
public class LeaseEventConsumer {
    private static final Logger LOG = Logger.getLogger(LeaseEventConsumer.class);
    private final StackLauncher launcher;

    public LeaseEventConsumer(StackLauncher launcher) {
        this.launcher = launcher;
    }

    @Incoming("lease-events")
    public Uni<Void> consume(Message<LeaseEvent> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType)
                .orElse("");
        LeaseEvent event = message.getPayload();
        if (event == null || !LeaseEventType.STARTED.cloudEventType().equals(type)) {
            return Uni.createFrom().completionStage(message.ack());
        }
        return launcher.launchAll(event)
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("lease=%s start not handled: %s", event.leaseId(), failure.toString());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }
}
