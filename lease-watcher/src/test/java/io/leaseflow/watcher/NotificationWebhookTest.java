package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** POST /v1/notifications: the same envelope over HTTP, for a shared secret or a Keystone token with a role. */
@QuarkusTest
@TestProfile(NotificationWebhookTest.WithSecret.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class NotificationWebhookTest {
    static final String SECRET = "s3cret-for-tests";
    static final String LEASE_ID = "6ee55c78-ac52-41a6-99af-2d2d73bcc466";

    public static class WithSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.webhook.shared-secret", SECRET);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void sharedSecretPostPublishesOnceAndRepeatsAreDuplicates() throws Exception {
        String body = BlazarNotificationFlowTest.sample("samples/blazar/wire/upstream-007-lease.event.before_end_lease.stop.body");
        String ending = BlazarNotificationFlowTest.sample("samples/blazar/wire/upstream-005-lease.event.before_end_lease.body");
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            given().header("Authorization", "Bearer " + SECRET).contentType("application/json").body(body)
                    .post("/v1/notifications").then().statusCode(202).body("outcome", equalTo("ignored"));
            given().header("Authorization", "Bearer " + SECRET).contentType("application/json").body(ending)
                    .post("/v1/notifications").then().statusCode(202).body("outcome", equalTo("published"));
            given().header("Authorization", "Bearer " + SECRET).contentType("application/json").body(ending)
                    .post("/v1/notifications").then().statusCode(202).body("outcome", equalTo("duplicate"));
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(LEASE_ID, LeaseEventType.ENDING).size() == 1);
            assertEquals("WEBHOOK", LeaseEventRecords.data(records.of(LEASE_ID, LeaseEventType.ENDING).get(0))
                    .path("observedVia").asText());
        }
    }

    @Test
    void keystoneTokenNeedsAnAllowedRole() throws Exception {
        String body = BlazarNotificationFlowTest.sample("samples/blazar/wire/upstream-001-lease.create.body");
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        given().header("X-Auth-Token", cloud.token("demo", "secret", "demo")).contentType("application/json")
                .body(body).post("/v1/notifications").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/authentication-failed"));
        given().header("X-Auth-Token", cloud.token("leaseflow", "leaseflow-secret", "service"))
                .contentType("application/json").body(body).post("/v1/notifications").then().statusCode(202);
    }

    @Test
    void missingOrWrongCredentialsAreRefused() {
        given().contentType("application/json").body("{}").post("/v1/notifications").then().statusCode(401)
                .body("type", equalTo("https://leaseflow.io/problems/authentication-required"));
        given().header("Authorization", "Bearer nope").contentType("application/json").body("{}")
                .post("/v1/notifications").then().statusCode(401);
    }

    @Test
    void unreadableEnvelopeIsProblem400WithTheReason() {
        given().header("Authorization", "Bearer " + SECRET).contentType("application/json")
                .body("{\"oslo.version\": \"2.0\", \"oslo.message\": 42}").post("/v1/notifications").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("oslo.message is not a JSON string"));
    }

    @Test
    void everySightingIsListedWithItsMessageIdAndTheTraceOfTheKafkaRecord() throws Exception {
        String lease = java.util.UUID.randomUUID().toString();
        String ending = BlazarNotificationFlowTest.sample("samples/blazar/wire/upstream-005-lease.event.before_end_lease.body")
                .replace(LEASE_ID, lease);
        String first = "bf2f09f0-9f8e-443e-bb0f-6bf952b8205d";
        String second = "bf2f09f0-9f8e-443e-bb0f-000000000002";
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            given().header("Authorization", "Bearer " + SECRET).contentType("application/json").body(ending)
                    .post("/v1/notifications").then().statusCode(202).body("outcome", equalTo("published"));
            given().header("Authorization", "Bearer " + SECRET).contentType("application/json")
                    .body(ending.replace(first, second)).post("/v1/notifications").then().statusCode(202)
                    .body("outcome", equalTo("duplicate"));
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(lease, LeaseEventType.ENDING).size() == 1);
            String traceparent = LeaseEventRecords.header(records.of(lease, LeaseEventType.ENDING).get(0), "traceparent");
            assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), "W3C traceparent on the record: " + traceparent);

            var observations = given().header("Authorization", "Bearer " + SECRET)
                    .get("/v1/leases/" + lease + "/observations").then().statusCode(200)
                    .body("lease_id", equalTo(lease)).extract().jsonPath();
            assertEquals(List.of(first, second), observations.getList("observations.message_id"));
            assertEquals(List.of(true, false), observations.getList("observations.published"));
            assertEquals(List.of("WEBHOOK", "WEBHOOK"), observations.getList("observations.via"));
            assertEquals(traceparent.substring(3, 35), observations.getString("observations[0].trace_id"),
                    "the sighting that published carries the trace id of the Kafka record");
        }
    }

    @Test
    void observationsNeedCredentials() {
        given().get("/v1/leases/" + LEASE_ID + "/observations").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/authentication-required"));
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        given().header("X-Auth-Token", cloud.token("demo", "secret", "demo"))
                .get("/v1/leases/" + LEASE_ID + "/observations").then().statusCode(401);
    }
}
