package io.leaseflow.deadletter;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Copies every record of the service's dead-letter topics (channel {@code dead-letters}) into the store. The offset
 * is committed only after the row is; while PostgreSQL is down the record is retried with backoff, and Kafka keeps
 * it meanwhile, so nothing is lost and a re-read inserts nothing twice.
 */
@ApplicationScoped
public class DeadLetterRecorder {
    private static final Logger LOG = Logger.getLogger(DeadLetterRecorder.class);
    private final DeadLetterStore store;
    private final DeadLetterMetrics metrics;

    public DeadLetterRecorder(DeadLetterStore store, DeadLetterMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Incoming("dead-letters")
    public Uni<Void> record(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = DeadLetterHeaders.toMap(record.headers());
        return Uni.createFrom().deferred(() -> store.record(record, headers))
                .onFailure().invoke(f -> LOG.warnf("dead letter %s-%d@%d not stored yet, retrying: %s",
                        record.topic(), record.partition(), record.offset(), f.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).indefinitely()
                .invoke(inserted -> {
                    if (inserted) {
                        metrics.recorded(record.topic());
                        LOG.infof("dead letter from %s stored (%s-%d@%d): %s", store.source(record, headers),
                                record.topic(), record.partition(), record.offset(), store.reason(headers));
                    }
                })
                .replaceWithVoid();
    }
}
