package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * stack-launcher's dead letters on real Kafka and PostgreSQL with the simulated Heat: an unreadable lease.started
 * lands in {@code leaseflow.lease-events.dlq} and the store instead of stopping the consumer; the corrected event,
 * replayed, launches the plan with one Heat call; a second replay and a late live duplicate change nothing.
 */
@QuarkusTest
@TestProfile(LeaseEventDeadLetterTest.WithOperatorSecret.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.lease-events.dlq,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class LeaseEventDeadLetterTest {
    static final String OPERATOR_SECRET = "launcher-operator-secret";

    public static class WithOperatorSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.operator.secret", OPERATOR_SECRET);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;
    Cloud cloud;
    Cloud.User demo;

    @BeforeEach
    void setUp() {
        cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
    }

    @Test
    void unreadableStartIsDeadLetteredAndItsCorrectedReplayLaunchesOnce() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize(lease);
        String stackId = given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + planId).then()
                .statusCode(200).extract().path("heat_stack_id");
        cloud.clearRequests();
        String good = cloud.eventJson(demo, lease);
        // A producer bug: a date Jackson cannot read.
        cloud.leaseEvent(LeaseEventType.STARTED, lease.id(), good.replaceFirst("\"startDate\":\"[^\"]+\"",
                "\"startDate\":\"tomorrow\""));

        long id = awaitActiveLetter(lease.id());
        asOperator().get("/v1/dead-letters/" + id).then().statusCode(200)
                .body("source", equalTo("leaseflow.lease-events" + topicSuffix))
                .body("reason", containsString("Cannot deserialize value of type `java.time.Instant` from String \"tomorrow\""))
                .body("payload", containsString("tomorrow")).body("key", equalTo(lease.id()))
                .body("headers.ce_type", equalTo(LeaseEventType.STARTED.cloudEventType()));
        given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + planId).then()
                .body("stack_status", equalTo("INIT_COMPLETE"));

        asOperator().post("/v1/dead-letters/" + id + "/replay").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("not a valid lease event"));
        asOperator().contentType("application/json").body(good).post("/v1/dead-letters/" + id + "/replay").then()
                .statusCode(200).body("status", equalTo("REPLAYED")).body("last_replay_outcome", equalTo("handled"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                .get("/v1/stacks/" + planId).then().body("stack_status", equalTo("COMPLETE"))
                .body("reservation_id", equalTo(lease.reservationId())));

        asOperator().contentType("application/json").body(good).post("/v1/dead-letters/" + id + "/replay").then()
                .statusCode(200).body("replay_count", equalTo(2));
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> cloud.heatLaunchCalls(stackId) == 1);
    }

    @Test
    void operatorApiNeedsAnAdminTokenOrTheSecret() {
        given().get("/v1/dead-letters").then().statusCode(401).contentType("application/problem+json");
        given().header("X-Auth-Token", demo.token()).get("/v1/dead-letters").then().statusCode(403)
                .body("type", equalTo("https://leaseflow.io/problems/forbidden"));
        String admin = given().baseUri(simUrl).contentType("application/json")
                .body(io.leaseflow.testing.openstack.KeystoneRequests.passwordAuth("leaseflow", "leaseflow-secret",
                        "service"))
                .post("/identity/v3/auth/tokens").then().statusCode(201).extract().header("X-Subject-Token");
        given().header("X-Auth-Token", admin).get("/v1/dead-letters").then().statusCode(200);
        asOperator().delete("/v1/dead-letters/424242").then().statusCode(404)
                .body("type", equalTo("https://leaseflow.io/problems/dead-letter-not-found"));
    }

    private String initialize(Cloud.Lease lease) {
        Map<String, Object> body = new HashMap<>();
        body.put("stack_name", "dlq-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("template", Cloud.TEMPLATE);
        body.put("lease_id", lease.id());
        body.put("mode", "dormant");
        body.put("timeout_mins", 10);
        return given().contentType("application/json").header("X-Auth-Token", demo.token()).body(body)
                .post("/v1/stacks").then().statusCode(201).extract().path("id");
    }

    private long awaitActiveLetter(String leaseId) {
        long[] id = new long[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Map<String, Object>> letters = asOperator().queryParam("status", "ACTIVE").get("/v1/dead-letters")
                    .then().statusCode(200).extract().jsonPath().getList("dead_letters");
            var mine = letters.stream().filter(l -> leaseId.equals(l.get("key"))).toList();
            if (mine.size() == 1) {
                id[0] = ((Number) mine.get(0).get("id")).longValue();
            }
            return mine.size() == 1;
        });
        return id[0];
    }

    private static io.restassured.specification.RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + OPERATOR_SECRET);
    }
}
