package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.fuzz.BadInput;
import io.leaseflow.testing.fuzz.BadInputs;
import io.leaseflow.testing.fuzz.FuzzRun;
import io.leaseflow.testing.fuzz.HttpProbe;
import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Generated bad notifications through both ways in: over HTTP every case is a 4xx problem (or a 202 when still a
 * valid notification), never a 5xx; over AMQP every case lands on the dead-letter topic with a reason and the
 * consumer goes on. Afterwards the service is ready and a lease fact published before is still published once.
 */
@QuarkusTest
@TestProfile(NotificationWebhookTest.WithSecret.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class BadInputFuzzTest {
    /** Over {@code quarkus.http.limits.max-body-size} (1M) and the parser's own 1 MiB limit. */
    static final int OVERSIZE = 1024 * 1024 + 4096;
    static final Set<String> NOT_FOR_AMQP = Set.of("wrong-content-type");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    private HttpProbe http;
    private String keptLease;
    private String keptStart;

    @BeforeEach
    void publishAFactThatMustSurvive() throws Exception {
        http = HttpProbe.testApp();
        keptLease = UUID.randomUUID().toString();
        keptStart = v1Message().replace(BlazarNotificationFlowTest.LEASE_ID, keptLease)
                .replace("lease.event.start_lease", "lease.delete");
        webhook(keptStart).then().statusCode(202).body("outcome", equalTo("published"));
    }

    @AfterEach
    void serviceIsReadyAndTheFactIsStillPublishedOnce() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        webhook(keptStart).then().statusCode(202).body("outcome", equalTo("duplicate"));
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(keptLease, LeaseEventType.DELETED).size() >= 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> records.of(keptLease, LeaseEventType.DELETED).size() == 1);
        }
    }

    private io.restassured.response.Response webhook(String body) {
        return given().header("Authorization", "Bearer " + NotificationWebhookTest.SECRET)
                .contentType("application/json").body(body).post("/v1/notifications");
    }

    private Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + NotificationWebhookTest.SECRET);
    }

    private static String v2Envelope() throws Exception {
        return BlazarNotificationFlowTest.sample(BlazarNotificationFlowTest.UPSTREAM_START);
    }

    /** The oslo message inside the envelope: what driver=messaging (v1) sends, and the notification payload. */
    private static String v1Message() throws Exception {
        return JSON.readTree(v2Envelope()).get("oslo.message").asText();
    }

    @Test
    void osloEnvelopesOverTheWebhook() throws Exception {
        FuzzRun.run("lease-watcher POST /v1/notifications (oslo v2 envelope)", JSON.readTree(v2Envelope()),
                OVERSIZE, in -> http.send("POST", "/v1/notifications", in, auth()));
    }

    @Test
    void notificationPayloadsOverTheWebhook() throws Exception {
        // v1 messages: every field of the message and of its payload gets wrong types. Each case names a lease of
        // its own, so that deduplication (by lease and event type) does not answer before the payload is read.
        FuzzRun.run("lease-watcher POST /v1/notifications (message and payload)", JSON.readTree(v1Message()),
                OVERSIZE, in -> http.send("POST", "/v1/notifications", withFreshLease(in), auth()));
    }

    private static BadInput withFreshLease(BadInput input) {
        // ISO-8859-1 maps every byte to one char and back, so invalid UTF-8 stays exactly as generated.
        String bytes = new String(input.body(), StandardCharsets.ISO_8859_1)
                .replace(BlazarNotificationFlowTest.LEASE_ID, UUID.randomUUID().toString());
        return new BadInput(input.kind(), bytes.getBytes(StandardCharsets.ISO_8859_1), input.contentType());
    }

    @Test
    void unauthenticatedGarbageIsRefusedBeforeParsing() throws Exception {
        var run = FuzzRun.run("lease-watcher POST /v1/notifications (no credentials)", JSON.readTree(v2Envelope()),
                OVERSIZE, in -> http.send("POST", "/v1/notifications", in, Map.of()));
        assertEquals(0, run.outcomes().keySet().stream().filter(k -> k.startsWith("2")).count(), run.toString());
    }

    @Test
    void everyBadAmqpMessageIsDeadLetteredWithItsReason() throws Exception {
        long seed = FuzzRun.seed();
        int tries = FuzzRun.tries();
        BadInputs inputs = new BadInputs(seed, JSON.readTree(v2Envelope()), OVERSIZE);
        List<BadInput> sent = new ArrayList<>();
        try (Connection amqp = SharedInfra.amqp().connectionFactory().newConnection();
                Channel channel = amqp.createChannel()) {
            while (sent.size() < tries) {
                BadInput input = inputs.next();
                if (NOT_FOR_AMQP.contains(input.kind())) {
                    continue;
                }
                channel.basicPublish("openstack", "notifications.info", new AMQP.BasicProperties.Builder()
                        .contentType(input.contentType().isEmpty() ? null : input.contentType())
                        .contentEncoding("utf-8").deliveryMode(2).build(), input.body());
                sent.add(input);
            }
        }
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            var dlq = kafka.consume(String.class, byte[].class)
                    .fromTopics("leaseflow.blazar-notifications.dlq" + topicSuffix);
            Map<String, Integer> expected = new TreeMap<>();
            sent.forEach(in -> expected.merge(key(in.body()), 1, Integer::sum));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                Map<String, Integer> seen = new TreeMap<>();
                dlq.getRecords().stream().filter(r -> header(r, "leaseflow-dlq-source").equals("NOTIFICATION"))
                        .forEach(r -> seen.merge(key(r), 1, Integer::sum));
                return expected.entrySet().stream().allMatch(e -> seen.getOrDefault(e.getKey(), 0) >= e.getValue());
            });
            var kinds = new TreeMap<String, Integer>();
            for (ConsumerRecord<String, byte[]> record : dlq.getRecords()) {
                // Webhook cases of the other tests share the topic; every record, whichever way in, has a reason.
                String reason = header(record, "leaseflow-dlq-reason");
                assertFalse(reason.isBlank(), "a dead letter without a reason");
                assertTrue(Set.of("NOTIFICATION", "WEBHOOK").contains(header(record, "leaseflow-dlq-source")));
            }
            sent.forEach(in -> kinds.merge(in.kind(), 1, Integer::sum));
            dlq.close();
            System.out.printf("FUZZ lease-watcher AMQP blazar-notifications: %d cases, seed %d, all dead-lettered"
                    + " with a reason, kinds %s%n", sent.size(), seed, kinds);
        }
    }

    /** A dead letter's identity: the body's digest, or for a truncated one its original size and digest. */
    private static String key(ConsumerRecord<String, byte[]> record) {
        String original = header(record, "leaseflow-dlq-original-sha256");
        return original.isEmpty() ? key(record.value()) : original;
    }

    private static String key(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
