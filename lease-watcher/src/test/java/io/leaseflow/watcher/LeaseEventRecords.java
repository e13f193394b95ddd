package io.leaseflow.watcher;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Reads what lease-watcher wrote to this test class's lease-events topic. */
final class LeaseEventRecords implements AutoCloseable {
    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> task;

    LeaseEventRecords(String bootstrap, String topicSuffix) {
        kafka = new KafkaCompanion(bootstrap);
        task = kafka.consumeStrings().fromTopics(Topics.LEASE_EVENTS + topicSuffix);
    }

    List<ConsumerRecord<String, String>> of(String leaseId, LeaseEventType type) {
        return task.getRecords().stream().filter(r -> leaseId.equals(r.key()))
                .filter(r -> type.cloudEventType().equals(header(r, "ce_type"))).toList();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    static JsonNode data(ConsumerRecord<String, String> record) {
        try {
            return EventJson.mapper().readTree(record.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        task.close();
        kafka.close();
    }
}
