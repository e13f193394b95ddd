package io.leaseflow.launcher.launch;

import java.nio.charset.StandardCharsets;
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
import io.leaseflow.launcher.trace.LaunchSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes lease events: a start launches the lease's plans, an end expires those never launched and runs end-of-lease
 * actions. Redeliveries are harmless (every effect is a conditional transition). Leases are handled concurrently,
 * each lease's events in order ({@link LeaseOrderedDispatcher}). Unreadable records, and events whose effect still
 * fails after {@code event-retry-for}, go to the DLQ ({@code leaseflow.lease-events.dlq}), where operators can replay
 * them.
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
    private final LaunchSpans spans;

    public LeaseEventConsumer(StackLauncher launcher, LeaseEndHandler ends, LeaseOrderedDispatcher dispatcher,
            LauncherConfig config, LeaseDates dates, LauncherMetrics metrics, LaunchSpans spans) {
        this.launcher = launcher;
        this.ends = ends;
        this.dispatcher = dispatcher;
        this.config = config;
        this.dates = dates;
        this.metrics = metrics;
        this.spans = spans;
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
        if (event == null) {
            // Unreadable value (fail-on-deserialization-failure=false): to the DLQ with the reason, never dropped.
            String reason = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                    .map(h -> "unreadable lease event: " + new String(h.value(), StandardCharsets.UTF_8))
                    .orElse("lease event without a value");
            metrics.deadLettered();
            return Uni.createFrom().completionStage(message.nack(new UnreadableLeaseEventException(reason)));
        }
        // Continues the trace of the record (lease-watcher's notification span), so the Heat call carries it too.
        Context parent = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElse(Context.root());
        return dispatcher.submit(event.leaseId(), () -> handleLive(message, event, type, received, parent));
    }

    private Uni<Void> handleLive(Message<LeaseEvent> message, LeaseEvent event, String type, long received,
            Context parent) {
        // Launch failures are recorded on the plans; what fails here is the database or Kafka being away (a
        // restart, a failover). Retrying keeps the start instead of dead-lettering it; every step is conditional,
        // so a retry after a partial success does nothing twice.
        return spans.within("lease event " + type.substring(type.lastIndexOf('.') + 1), SpanKind.CONSUMER, parent,
                () -> {
                    LaunchSpans.ids(event.leaseId(), null, null, null);
                    return handle(type, event, received);
                })
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

    /**
     * The effect of one lease event of CloudEvent type {@code type}, for live records and replayed dead letters
     * alike; types other than lease events are ignored. Every effect is a conditional transition, so a repeat is
     * harmless. A pipeline that throws while being assembled fails the returned Uni.
     */
    public Uni<Void> handle(String type, LeaseEvent event, long receivedNanos) {
        LeaseEventType leaseEvent = LeaseEventType.fromCloudEvent(type).orElse(null);
        if (leaseEvent == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> switch (leaseEvent) {
            case STARTED -> launcher.launchAll(event, receivedNanos);
            case ENDING -> ends.ending(event.leaseId());
            case ENDED -> ends.ended(event.leaseId());
            case UPDATED -> dates.updated(event);
            default -> Uni.createFrom().voidItem();
        });
    }

    /** The record's value could not be read as a lease event. */
    public static class UnreadableLeaseEventException extends RuntimeException {
        public UnreadableLeaseEventException(String reason) {
            super(reason);
        }
    }
}
