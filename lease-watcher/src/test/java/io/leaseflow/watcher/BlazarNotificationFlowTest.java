package io.leaseflow.watcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Real AMQP in, real Kafka out, real PostgreSQL for deduplication; payloads are the real oslo captures. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
class BlazarNotificationFlowTest {
    static final String UPSTREAM_START = "samples/blazar/wire/upstream-004-lease.event.start_lease.body";
    static final String UPSTREAM_END = "samples/blazar/wire/upstream-006-lease.event.end_lease.body";
    static final String LEASE_ID = "6ee55c78-ac52-41a6-99af-2d2d73bcc466";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    private final ObjectMapper json = new ObjectMapper();
    private KafkaCompanion kafka;
    private Connection amqp;

    @BeforeEach
    void connect() throws Exception {
        kafka = new KafkaCompanion(bootstrap);
        amqp = SharedInfra.amqp().connectionFactory().newConnection();
    }

    @AfterEach
    void close() throws Exception {
        kafka.close();
        amqp.close();
    }

    @Test
    void startNotificationBecomesOneCloudEventEvenWhenDeliveredTwice() throws Exception {
        publish(sample(UPSTREAM_START));
        publish(sample(UPSTREAM_START).replace("91f8620e", "91f8620f"));
        publish(sample(UPSTREAM_END));

        var task = kafka.consumeStrings().fromTopics(Topics.LEASE_EVENTS + topicSuffix);
        task.awaitRecords(2, Duration.ofSeconds(60));
        // The queue is consumed in order, so once the end event is out the duplicate has been handled.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> task.count() == 2);
        List<ConsumerRecord<String, String>> records = task.getRecords();
        task.close();
        long starts = records.stream().filter(r -> header(r, "ce_type")
                .equals(LeaseEventType.STARTED.cloudEventType())).count();
        assertEquals(1, starts, "a duplicated start notification must be published once");

        ConsumerRecord<String, String> start = records.stream()
                .filter(r -> header(r, "ce_type").equals(LeaseEventType.STARTED.cloudEventType())).findFirst()
                .orElseThrow();
        assertEquals(LEASE_ID, start.key());
        assertEquals(CloudEventIds.leaseEvent(LEASE_ID, LeaseEventType.STARTED), header(start, "ce_id"));
        assertEquals("1.0", header(start, "ce_specversion"));
        JsonNode data = json.readTree(start.value());
        assertEquals(List.of(), ContractSchemas.LEASE_EVENT.violations(data));
        assertEquals("NOTIFICATION", data.get("observedVia").asText());
        assertTrue(data.get("reservations").toString().contains("\"resourceType\":\"physical:host\""));
    }

    @Test
    void unreadableNotificationGoesToDeadLetterTopicAndTheNextGoodOneIsProcessed() throws Exception {
        publish("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{not json\"}");
        // The next message is a v1 one (driver=messaging: no envelope) of another lease.
        String otherLease = java.util.UUID.randomUUID().toString();
        String v1 = json.readTree(sample(UPSTREAM_END)).get("oslo.message").asText().replace(LEASE_ID, otherLease);
        publish(v1);
        var ended = kafka.consumeStrings().fromTopics(Topics.LEASE_EVENTS + topicSuffix);
        await().atMost(Duration.ofSeconds(60)).until(() -> ended.getRecords().stream()
                .anyMatch(r -> otherLease.equals(r.key()) && header(r, "ce_type")
                        .equals(LeaseEventType.ENDED.cloudEventType())));
        ended.close();

        var task = kafka.consumeStrings().fromTopics("leaseflow.blazar-notifications.dlq" + topicSuffix, 1);
        task.awaitCompletion(Duration.ofSeconds(60));
        ConsumerRecord<String, String> dead = task.getRecords().get(0);
        assertTrue(header(dead, "leaseflow-dlq-reason").contains("oslo.message is not valid JSON"),
                header(dead, "leaseflow-dlq-reason"));
        assertEquals("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{not json\"}", dead.value());
    }

    private void publish(String body) throws IOException {
        try (Channel channel = amqp.createChannel()) {
            channel.basicPublish("openstack", "notifications.info", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).priority(0).build(),
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String sample(String path) throws IOException {
        try (InputStream in = BlazarNotificationFlowTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
