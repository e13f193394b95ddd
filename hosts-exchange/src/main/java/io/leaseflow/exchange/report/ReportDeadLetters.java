package io.leaseflow.exchange.report;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Keeps an unreadable report on {@code leaseflow.exchange-reports.dlq} with the reason, under the header names the
 * connector's own dead-letter strategy uses, so one tool reads both.
 */
@ApplicationScoped
public class ReportDeadLetters {

    public static final String REASON_HEADER = "dead-letter-reason";

    private final MutinyEmitter<String> emitter;

    ReportDeadLetters(@Channel("exchange-reports-dlq") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable reason) {
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-cause", reason.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        var kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(record.value() == null ? "" : record.value()).addMetadata(kafka));
    }
}
