package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
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
 * Heat misbehaving at launch — timeouts, 5xx bursts, 409 storms, slow answers: every plan ends COMPLETE or FAILED
 * with the reason, never stuck in LAUNCHING. Heat's PATCH timeout is 1.5 s here (30 s by default) so that a
 * timeout costs the test little.
 */
@QuarkusTest
@TestProfile(HeatFaultsTest.ShortHeatTimeout.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class HeatFaultsTest {
    static final Duration SETTLE = Duration.ofSeconds(90);

    public static class ShortHeatTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("io.leaseflow.launcher.heat.HeatStacks/setParameters/Timeout/value", "1500",
                    "io.leaseflow.launcher.heat.HeatStacks/setParameters/Timeout/unit", "MILLIS",
                    "io.leaseflow.launcher.heat.HeatStacks/setParameters/Retry/maxRetries", "4");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix", defaultValue = "")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url", defaultValue = "")
    String simUrl;
    Cloud cloud;
    Cloud.User demo;

    @BeforeEach
    void setUp() {
        cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
    }

    @AfterEach
    void clearFaults() {
        cloud.clearFaults();
    }

    record Launch(String planId, String stackId, Cloud.Lease lease) {
    }

    Launch start(Runnable faults) {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).extract().path("id");
        String stackId = plan(planId).extract().path("heat_stack_id");
        faults.run();
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        return new Launch(planId, stackId, lease);
    }

    io.restassured.response.ValidatableResponse plan(String id) {
        return given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + id).then().statusCode(200);
    }

    /** Waits for a final state; a plan still LAUNCHING or IN_PROGRESS after SETTLE fails the test. */
    String settled(Launch launch) {
        await().atMost(SETTLE).untilAsserted(() -> plan(launch.planId())
                .body("stack_status", in(List.of("COMPLETE", "FAILED"))));
        return plan(launch.planId()).extract().path("stack_status");
    }

    List<Integer> patchStatuses(String stackId) {
        return cloud.requests("heat", "PATCH").stream()
                .filter(r -> String.valueOf(r.get("path")).contains(stackId)).map(r -> (Integer) r.get("status"))
                .toList();
    }

    @Test
    void heatTimingOutTwiceThenAnsweringLaunches() {
        Launch launch = start(() -> cloud.slow("heat", "PATCH", 0, 4000, 2));
        assertEquals("COMPLETE", settled(launch));
        cloud.stack(launch.stackId()).then()
                .body("stack.parameters.reservation_id", equalTo(launch.lease().reservationId()));
        assertTrue(patchStatuses(launch.stackId()).size() >= 3, "two attempts timed out, a third got through");
    }

    @Test
    void heatThatNeverAnswersInTimeFailsThePlanWithTheReason() {
        Launch launch = start(() -> cloud.slow("heat", "PATCH", 0, 4000, 50));
        assertEquals("FAILED", settled(launch));
        plan(launch.planId()).body("status_reason", containsString("Timeout"));
    }

    @Test
    void a5xxBurstLongerThanTheRetriesFailsThePlanWithHeatsStatus() {
        Launch launch = start(() -> cloud.fault("heat", "PATCH", 503, 50));
        assertEquals("FAILED", settled(launch));
        plan(launch.planId()).body("status_reason", containsString("503"));
        assertEquals(5, patchStatuses(launch.stackId()).size(), "the first attempt and 4 retries, then it stops");
    }

    @Test
    void a409StormThatPassesLaunchesAndOneThatDoesNotFailsTheRetry() {
        Launch passing = start(() -> cloud.fault("heat", "PATCH", 409, 3));
        assertEquals("COMPLETE", settled(passing));
        assertEquals(List.of(409, 409, 409, 202), patchStatuses(passing.stackId()));

        Launch storm = start(() -> cloud.fault("heat", "PATCH", 409, 50));
        assertEquals("FAILED", settled(storm));
        plan(storm.planId()).body("status_reason", containsString("409"));
    }

    @Test
    void slowButTimelyAnswersLaunchWithoutRetrying() {
        Launch launch = start(() -> cloud.slow("heat", "PATCH", 0, 800, 1));
        assertEquals("COMPLETE", settled(launch));
        assertEquals(List.of(202), patchStatuses(launch.stackId()), "a slow answer is not a failure");
    }
}
