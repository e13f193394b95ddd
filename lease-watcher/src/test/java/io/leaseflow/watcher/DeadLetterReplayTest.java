package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.deadletter.DeadLetterHeaders;
import io.leaseflow.deadletter.DeadLetterStore;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The dead-letter operator API on real RabbitMQ, Kafka, PostgreSQL and the simulated Blazar/Keystone: a poison
 * notification lands in the DLQ and the store, a replay after the fix publishes exactly once, a second replay does
 * nothing; still-bad data stays dead-lettered; listing, discarding and authentication.
 */
@QuarkusTest
@TestProfile(DeadLetterReplayTest.WithOperatorSecret.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class DeadLetterReplayTest {
    static final String OPERATOR_SECRET = "operator-secret-for-tests";
    static final String WEBHOOK_SECRET = "webhook-secret-for-tests";
    static final ObjectMapper JSON = new ObjectMapper();

    public static class WithOperatorSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.operator.secret", OPERATOR_SECRET, "leaseflow.webhook.shared-secret",
                    WEBHOOK_SECRET, "leaseflow.dead-letters.gauge-interval", "1s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    DeadLetterStore store;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.queue-suffix", defaultValue = "")
    String queueSuffix;

    @Test
    void poisonStartTakesEffectOnceWhenReplayedAfterBlazarKnowsTheLeaseAndASecondReplayDoesNothing()
            throws Exception {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("poison-start", Instant.now().plus(Duration.ofHours(2)));
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(lease.id(), LeaseEventType.CREATED).size() == 1);
            // Blazar's API does not know the lease yet (a read replica behind, a lease restored later): Chameleon's
            // start notification cannot be completed and is dead-lettered.
            failNextLeaseRead(cloud, lease.id());
            notifyFresh(cloud, lease.id(), "lease.event.start_lease");

            JsonPath letter = awaitOneActive(lease.id());
            long id = letter.getLong("id");
            assertEquals("amqp:leaseflow.blazar" + queueSuffix, letter.getString("source"));
            assertEquals("utf-8", letter.getString("payload_encoding"));
            assertTrue(letter.getString("payload").contains(lease.id()), "the original payload is shown");
            assertEquals(0, records.of(lease.id(), LeaseEventType.STARTED).size());
            // The gauge counts every ACTIVE letter of the topic (other tests of this class leave some).
            int active = activeLetters();
            await().atMost(Duration.ofSeconds(10)).until(() -> activeGauge() == active);
            double publishedBefore = WatcherMetrics.total("leaseflow_dead_letter_replays_total",
                    "outcome=\"published\"");

            asOperator().post("/v1/dead-letters/" + id + "/replay").then().statusCode(200)
                    .body("status", equalTo("REPLAYED")).body("last_replay_outcome", equalTo("published"))
                    .body("replay_count", equalTo(1)).body("replayed_by", equalTo("operator-secret"))
                    .body("audit", hasSize(1)).body("audit[0].action", equalTo("REPLAY"));
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            assertEquals(lease.reservationId(), LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED)
                    .get(0)).at("/reservations/0/id").asText());

            asOperator().post("/v1/dead-letters/" + id + "/replay").then().statusCode(200)
                    .body("status", equalTo("REPLAYED")).body("replay_count", equalTo(1))
                    .body("last_replay_outcome", equalTo("published"));
            // The same fact arriving again the normal way is a duplicate too.
            notifyFresh(cloud, lease.id(), "lease.event.start_lease");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            assertEquals(publishedBefore + 1, WatcherMetrics.total("leaseflow_dead_letter_replays_total",
                    "outcome=\"published\""));
            assertEquals(active - 1, activeLetters());
            await().atMost(Duration.ofSeconds(10)).until(() -> activeGauge() == active - 1);
        }
    }

    @Test
    void stillBadDataStaysDeadLetteredWithTheNewReasonUntilACorrectedPayloadIsReplayed() throws Exception {
        String leaseId = UUID.randomUUID().toString();
        String good = upstreamStart(leaseId, "2026-01-01T12:00:00.000000", "2026-01-02T12:00:00.000000");
        String reversed = upstreamStart(leaseId, "2026-01-02T12:00:00.000000", "2026-01-01T12:00:00.000000");
        String undated = upstreamStart(leaseId, "not-a-date", "2026-01-01T12:00:00.000000");
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            given().header("Authorization", "Bearer " + WEBHOOK_SECRET).contentType("application/json")
                    .body(reversed).post("/v1/notifications").then().statusCode(422);
            JsonPath letter = awaitOneActive(leaseId);
            long id = letter.getLong("id");
            assertEquals("POST /v1/notifications", letter.getString("source"));
            assertTrue(letter.getString("reason").contains("is before start_date"), letter.getString("reason"));

            asOperator().post("/v1/dead-letters/" + id + "/replay").then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://leaseflow.io/problems/dead-letter-still-unprocessable"))
                    .body("detail", containsString("is before start_date"));
            asOperator().contentType("application/json").body(undated).post("/v1/dead-letters/" + id + "/replay")
                    .then().statusCode(422).body("detail", containsString("'start_date' is not a Blazar date"));
            asOperator().get("/v1/dead-letters/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"))
                    .body("reason", containsString("'start_date' is not a Blazar date"))
                    .body("replay_count", equalTo(2)).body("audit", hasSize(2));

            asOperator().contentType("application/json").body(good).post("/v1/dead-letters/" + id + "/replay")
                    .then().statusCode(200).body("status", equalTo("REPLAYED"))
                    .body("last_replay_outcome", equalTo("published"))
                    .body("corrected_payload", containsString("2026-01-02T12:00:00"))
                    .body("audit[2].action", equalTo("REPLAY_CORRECTED"));
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(leaseId, LeaseEventType.STARTED).size() == 1);
            assertEquals("WEBHOOK", LeaseEventRecords.data(records.of(leaseId, LeaseEventType.STARTED).get(0))
                    .path("observedVia").asText());
            // Only one dead-letter record for it: failed replays update the letter, they write no new DLQ record.
            assertEquals(1, asOperator().queryParam("since", Instant.now().minusSeconds(120).toString())
                    .get("/v1/dead-letters").jsonPath().getList("dead_letters.findAll { it.payload.contains('"
                            + leaseId + "') }").size());
        }
    }

    @Test
    void listIsPagedNewestFirstAndFilteredByReasonStatusTopicAndTime() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + WEBHOOK_SECRET).contentType("application/json")
                    .body(upstreamStart(UUID.randomUUID().toString(), "bad-" + tag + "-" + i, "2026-01-01T12:00:00"))
                    .post("/v1/notifications").then().statusCode(422);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> asOperator().queryParam("reason", tag)
                .get("/v1/dead-letters").jsonPath().getList("dead_letters").size() == 3);

        JsonPath first = asOperator().queryParam("reason", tag).queryParam("limit", 2).get("/v1/dead-letters")
                .then().statusCode(200).body("dead_letters", hasSize(2)).body("next_marker", notNullValue())
                .extract().jsonPath();
        assertTrue(first.getString("dead_letters[0].reason").contains("bad-" + tag + "-2"), "newest first");
        asOperator().queryParam("reason", tag).queryParam("limit", 2).queryParam("marker", first.getLong("next_marker"))
                .get("/v1/dead-letters").then().statusCode(200).body("dead_letters", hasSize(1))
                .body("dead_letters[0].reason", containsString("bad-" + tag + "-0")).body("next_marker", nullValue());

        String dlq = "leaseflow.blazar-notifications.dlq" + topicSuffix;
        asOperator().queryParam("reason", tag.toUpperCase()).queryParam("topic", dlq).queryParam("status", "active")
                .queryParam("since", before.toString()).get("/v1/dead-letters").then().statusCode(200)
                .body("dead_letters", hasSize(3)).body("dead_letters[0].topic", equalTo(dlq));
        asOperator().queryParam("reason", tag).queryParam("topic", "leaseflow.other.dlq").get("/v1/dead-letters")
                .then().body("dead_letters", hasSize(0));
        asOperator().queryParam("reason", tag).queryParam("status", "REPLAYED").get("/v1/dead-letters")
                .then().body("dead_letters", hasSize(0));
        asOperator().queryParam("reason", tag).queryParam("until", before.toString()).get("/v1/dead-letters")
                .then().body("dead_letters", hasSize(0));
        asOperator().queryParam("since", "yesterday").get("/v1/dead-letters").then().statusCode(400)
                .contentType("application/problem+json");
        asOperator().queryParam("limit", 0).get("/v1/dead-letters").then().statusCode(400);
    }

    @Test
    void discardKeepsTheLetterForAuditAndItCannotBeReplayedAfterwards() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + WEBHOOK_SECRET).contentType("application/json")
                .body(upstreamStart(UUID.randomUUID().toString(), "discard-" + tag, "2026-01-01T12:00:00"))
                .post("/v1/notifications").then().statusCode(422);
        await().atMost(Duration.ofSeconds(30)).until(() -> asOperator().queryParam("reason", tag)
                .get("/v1/dead-letters").jsonPath().getList("dead_letters").size() == 1);
        long id = asOperator().queryParam("reason", tag).get("/v1/dead-letters").jsonPath()
                .getLong("dead_letters[0].id");
        double discardsBefore = WatcherMetrics.total("leaseflow_dead_letter_discards_total", "topic=");

        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        given().header("X-Auth-Token", cloud.token("leaseflow", "leaseflow-secret", "service"))
                .delete("/v1/dead-letters/" + id).then().statusCode(204);
        asOperator().get("/v1/dead-letters/" + id).then().statusCode(200).body("status", equalTo("DISCARDED"))
                .body("discarded_by", containsString("keystone:")).body("discarded_at", notNullValue())
                .body("audit[0].action", equalTo("DISCARD"));
        asOperator().post("/v1/dead-letters/" + id + "/replay").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/dead-letter-discarded"));
        asOperator().delete("/v1/dead-letters/" + id).then().statusCode(204);
        assertEquals(discardsBefore + 1, WatcherMetrics.total("leaseflow_dead_letter_discards_total", "topic="));
        asOperator().get("/v1/dead-letters/999999999").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/dead-letter-not-found"));
    }

    @Test
    void readingTheDeadLetterTopicAgainStoresNothingTwice() throws Throwable {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + WEBHOOK_SECRET).contentType("application/json")
                .body(upstreamStart(UUID.randomUUID().toString(), "again-" + tag, "2026-01-01T12:00:00"))
                .post("/v1/notifications").then().statusCode(422);
        await().atMost(Duration.ofSeconds(30)).until(() -> asOperator().queryParam("reason", tag)
                .get("/v1/dead-letters").jsonPath().getList("dead_letters").size() == 1);
        int stored = asOperator().queryParam("limit", 500).get("/v1/dead-letters").jsonPath()
                .getList("dead_letters").size();

        // What a rebalance, a restart before the commit or an offset reset does: the same records once more.
        String dlq = "leaseflow.blazar-notifications.dlq" + topicSuffix;
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            var records = kafka.consume(String.class, byte[].class).withOffsetReset(OffsetResetStrategy.EARLIEST)
                    .withGroupId("again-" + tag).fromTopics(dlq, stored).awaitCompletion(Duration.ofSeconds(30))
                    .getRecords();
            assertEquals(stored, records.size());
            for (var record : records) {
                boolean inserted = VertxContextSupport.subscribeAndAwait(() -> store.record(record,
                        DeadLetterHeaders.toMap(record.headers())));
                assertFalse(inserted, "offset " + record.offset() + " stored twice");
            }
        }
        assertEquals(stored, asOperator().queryParam("limit", 500).get("/v1/dead-letters").jsonPath()
                .getList("dead_letters").size());
    }

    @Test
    void onlyAdminsAndTheOperatorSecretGetIn() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        given().get("/v1/dead-letters").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/authentication-required"));
        given().header("Authorization", "Bearer " + WEBHOOK_SECRET).get("/v1/dead-letters").then().statusCode(401)
                .body("type", equalTo("https://leaseflow.io/problems/authentication-failed"));
        given().header("X-Auth-Token", "not-a-token").get("/v1/dead-letters").then().statusCode(401);
        given().header("X-Auth-Token", cloud.token("demo", "secret", "demo")).get("/v1/dead-letters").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/forbidden"));
        given().header("X-Auth-Token", cloud.token("demo", "secret", "demo")).post("/v1/dead-letters/1/replay")
                .then().statusCode(403);
        given().header("X-Auth-Token", cloud.token("leaseflow", "leaseflow-secret", "service"))
                .get("/v1/dead-letters").then().statusCode(200);
        asOperator().get("/v1/dead-letters").then().statusCode(200);
    }

    private JsonPath awaitOneActive(String leaseId) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> letters = asOperator().queryParam("status", "ACTIVE")
                    .get("/v1/dead-letters").then().statusCode(200).extract().jsonPath().getList("dead_letters");
            var mine = letters.stream().filter(l -> String.valueOf(l.get("payload")).contains(leaseId)).toList();
            if (mine.size() == 1) {
                found[0] = JSON.writeValueAsString(mine.get(0));
            }
            return mine.size() == 1;
        });
        return JsonPath.from(found[0]);
    }

    private int activeLetters() {
        return asOperator().queryParam("status", "ACTIVE").queryParam("limit", 500)
                .queryParam("topic", "leaseflow.blazar-notifications.dlq" + topicSuffix).get("/v1/dead-letters")
                .then().statusCode(200).extract().jsonPath().getList("dead_letters").size();
    }

    private double activeGauge() {
        return WatcherMetrics.total("leaseflow_dead_letters_active",
                "topic=\"leaseflow.blazar-notifications.dlq" + topicSuffix + "\"");
    }

    private static io.restassured.specification.RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + OPERATOR_SECRET);
    }

    /** Upstream's full start notification (no Blazar lookup needed) for this lease and these dates. */
    static String upstreamStart(String leaseId, String start, String end) throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(BlazarNotificationFlowTest.sample(
                BlazarNotificationFlowTest.UPSTREAM_START));
        ObjectNode message = (ObjectNode) JSON.readTree(envelope.path("oslo.message").asText());
        message.put("message_id", UUID.randomUUID().toString());
        ObjectNode payload = (ObjectNode) message.path("payload");
        payload.put("lease_id", leaseId).put("start_date", start).put("end_date", end);
        envelope.put("oslo.message", JSON.writeValueAsString(message));
        return JSON.writeValueAsString(envelope);
    }

    private static void failNextLeaseRead(SimCloud cloud, String leaseId) throws Exception {
        post(cloud.baseUrl() + "/sim/faults", JSON.writeValueAsString(Map.of("service", "blazar", "method", "GET",
                "pathContains", leaseId, "status", 404, "count", 1)));
    }

    private static void notifyFresh(SimCloud cloud, String leaseId, String eventType) throws Exception {
        post(cloud.baseUrl() + "/sim/leases/" + leaseId + "/notify/" + eventType + "?fresh=true", "");
    }

    private static void post(String url, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, url + " answered " + r.statusCode() + ": " + r.body());
    }
}
