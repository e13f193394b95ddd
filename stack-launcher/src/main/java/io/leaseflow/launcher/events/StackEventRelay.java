package io.leaseflow.launcher.events;


import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.CloudEventSources;
import io.leaseflow.launcher.trace.LaunchSpans;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Relays the outbox to {@code leaseflow.stack-events} in order, as binary CloudEvents keyed by plan id, and marks rows
 * published only once Kafka acknowledged them: at least once, never lost, never a dual write. Several replicas may
 * relay the same row; it then carries the same CloudEvent id, on which consumers deduplicate.
 */
@ApplicationScoped
public class StackEventRelay {
    private static final Logger LOG = Logger.getLogger(StackEventRelay.class);
    private final MutinyEmitter<String> emitter;
    private final int batch;

    public StackEventRelay(@Channel("stack-events") MutinyEmitter<String> emitter,
            io.leaseflow.launcher.config.LauncherConfig config) {
        this.emitter = emitter;
        this.batch = config.outbox().batch();
    }

    @Scheduled(every = "${leaseflow.launcher.outbox.interval:200ms}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return Panache.withSession(() -> StackEventRecord.pending(batch))
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().voidItem()
                        : Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(this::send)
                                .collect().asList()
                                .flatMap(sent -> Panache.withTransaction(() -> StackEventRecord.markPublished(
                                        sent.stream().map(r -> r.seq).toList())))
                                .replaceWithVoid())
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("stack events not relayed yet (will retry): %s", failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<StackEventRecord> send(StackEventRecord row) {
        var cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(row.id)
                .withType(row.type)
                .withSource(CloudEventSources.STACK_LAUNCHER)
                .withSubject(row.planId)
                .withDataContentType("application/json")
                .withTimestamp(row.createdAt.atZone(java.time.ZoneOffset.UTC))
                .build();
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(row.planId).build();
        return emitter.sendMessage(Message.of(row.payload).addMetadata(cloudEvent).addMetadata(kafka)
                .addMetadata(TracingMetadata.withCurrent(LaunchSpans.fromTraceparent(row.traceparent))))
                .replaceWith(row);
    }
}
