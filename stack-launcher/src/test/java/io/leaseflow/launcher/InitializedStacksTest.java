package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import io.restassured.RestAssured;

/**
 * Initialize and launch, one test per behaviour of issue 12: real Kafka in, real PostgreSQL for plans, the
 * simulator's Keystone, Blazar and Heat over HTTP.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class InitializedStacksTest {
    static final Duration SETTLE = Duration.ofSeconds(60);
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

    @AfterEach
    void clearFaults() {
        cloud.clearFaults();
    }

    static Map<String, Object> body(String mode, Cloud.Lease lease, String template) {
        Map<String, Object> body = new HashMap<>();
        body.put("stack_name", mode + "-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("template", template);
        body.put("lease_id", lease.id());
        body.put("mode", mode);
        body.put("timeout_mins", 10);
        return body;
    }

    String initialize(String mode, Cloud.Lease lease) {
        return given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(body(mode, lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).contentType(containsString("json"))
                .body("stack_status", equalTo("INIT_COMPLETE")).body("mode", equalTo(mode))
                .body("trust_id", nullValue())
                .extract().path("id");
    }

    io.restassured.response.ValidatableResponse plan(String id) {
        return given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + id).then().statusCode(200);
    }

    void awaitPlan(String id, String status) {
        await().atMost(SETTLE).untilAsserted(() -> plan(id).body("stack_status", equalTo(status)));
    }

    @Test
    void dormantStackLaunchesWithTheReservationId() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.stack(stackId).then().body("stack.stack_status", equalTo("UPDATE_COMPLETE"))
                .body("stack.parameters.reservation_id", equalTo(lease.reservationId()))
                .body("stack.outputs[0].output_value", equalTo(lease.reservationId()));
        assertNotEquals(lease.id(), lease.reservationId());
        plan(planId).body("reservation_id", equalTo(lease.reservationId()))
                .body("history.to", equalTo(List.of("INIT_COMPLETE", "LAUNCHING", "IN_PROGRESS", "COMPLETE")));
    }

    @Test
    void heldStackIsCreatedAtLeaseStartWithTheReservationIdAndThePlanTag() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("held", lease);
        plan(planId).body("heat_stack_id", nullValue());
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.stack(stackId).then().body("stack.stack_status", equalTo("CREATE_COMPLETE"))
                .body("stack.parameters.reservation_id", equalTo(lease.reservationId()))
                .body("stack.tags", hasItem("leaseflow-plan-" + planId))
                .body("stack.stack_owner", equalTo("demo"));
    }

    @Test
    void boundStackLaunchesWithTheReservationIdThroughTheBindingsAlias() {
        Cloud.Lease lease = cloud.lease(demo);
        String stackName = "bound-" + UUID.randomUUID().toString().substring(0, 8);
        String stackId = cloud.initializedStack(demo, stackName);
        String planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("lease_id", lease.id(), "heat_stack_id", stackId)).post("/v1/bindings")
                .then().statusCode(201).body("stack_status", equalTo("INIT_COMPLETE"))
                .body("stack_name", equalTo(stackName)).body("mode", equalTo("bound")).extract().path("id");
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        cloud.stack(stackId).then().body("stack.stack_status", equalTo("UPDATE_COMPLETE"))
                .body("stack.parameters.reservation_id", equalTo(lease.reservationId()));
        given().header("X-Auth-Token", demo.token()).get("/v1/plans/" + planId).then().statusCode(200)
                .body("stack_status", equalTo("COMPLETE")).body("reservation_id", equalTo(lease.reservationId()));
    }

    @Test
    void dormantStackHasNoResourcesBeforeTheStartAndAllOfThemAfter() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        String name = plan(planId).extract().path("stack_name");
        await().atMost(SETTLE).untilAsserted(() -> cloud.stack(stackId).then()
                .body("stack.stack_status", equalTo("CREATE_COMPLETE")));
        assertEquals(List.of(), cloud.resources(demo, name, stackId), "a dormant stack allocates nothing");

        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        List<?> after = cloud.resources(demo, name, stackId);
        assertEquals(2, after.size(), after.toString());
    }

    @Test
    void templateWithoutTheReservationParameterIsRefusedAtInitialize() {
        Cloud.Lease lease = cloud.lease(demo);
        for (String mode : List.of("dormant", "held")) {
            given().contentType("application/json").header("X-Auth-Token", demo.token())
                    .body(body(mode, lease, Cloud.NO_PARAMETER_TEMPLATE)).post("/v1/stacks")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("type", equalTo("https://leaseflow.io/problems/reservation-parameter-undeclared"))
                    .body("detail", containsString("reservation_id"));
        }
        Map<String, Object> custom = body("dormant", lease, Cloud.TEMPLATE);
        custom.put("reservation_parameter", "lease_reservation");
        given().contentType("application/json").header("X-Auth-Token", demo.token()).body(custom).post("/v1/stacks")
                .then().statusCode(422)
                .body("type", equalTo("https://leaseflow.io/problems/reservation-parameter-undeclared"));
    }

    @Test
    void trustWithoutImpersonationIsNeverCreated() {
        cloud.clearRequests();
        Cloud.Lease lease = cloud.lease(demo);
        initialize("dormant", lease);
        initialize("held", lease);
        String stackId = cloud.initializedStack(demo, "imp-" + UUID.randomUUID().toString().substring(0, 8));
        given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("lease_id", lease.id(), "heat_stack_id", stackId, "mode", "bound")).post("/v1/stacks")
                .then().statusCode(201);
        List<Map<String, Object>> trusts = cloud.requests("keystone", "POST").stream()
                .filter(r -> String.valueOf(r.get("path")).endsWith("/OS-TRUST/trusts")).toList();
        assertEquals(3, trusts.size(), trusts.toString());
        for (Map<String, Object> request : trusts) {
            @SuppressWarnings("unchecked")
            Map<String, Object> trust = (Map<String, Object>) ((Map<String, Object>) request.get("body")).get("trust");
            assertEquals(Boolean.TRUE, trust.get("impersonation"), trust.toString());
        }
        assertEquals(1, trusts.stream().filter(r -> String.valueOf(r.get("body")).contains("allow_redelegation=true"))
                .count(), "only held plans need redelegation");
    }

    @Test
    void duplicatedLeaseEventProducesOneHeatCall() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.clearRequests();
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> cloud.heatLaunchCalls(stackId) == 1);
    }

    @Test
    void anotherProjectsTokenGets404OnAPlanItDoesNotOwn() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        Cloud.User rival = cloud.user("rival");
        assertNotEquals(demo.projectId(), rival.projectId());
        given().header("X-Auth-Token", rival.token()).get("/v1/stacks/" + planId).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://leaseflow.io/problems/plan-not-found"));
        given().header("X-Auth-Token", rival.token()).delete("/v1/stacks/" + planId).then().statusCode(404);
        given().header("X-Auth-Token", rival.token()).contentType("application/json")
                .body(Map.of("reservation_id", lease.reservationId())).post("/v1/stacks/" + planId + "/launch")
                .then().statusCode(404);
        given().header("X-Auth-Token", rival.token()).get("/v1/stacks").then().statusCode(200)
                .body("id", not(hasItem(planId)));
        plan(planId).body("stack_status", equalTo("INIT_COMPLETE"));
    }

    @Test
    void leaseEndedBeforeLaunchExpiresThePlanAndDeletesItsTrust() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("held", lease);
        cloud.clearRequests();
        cloud.leaseEvent(LeaseEventType.ENDED, demo, lease);
        awaitPlan(planId, "EXPIRED");
        await().atMost(SETTLE).until(() -> cloud.requests("keystone", "DELETE").stream()
                .anyMatch(r -> String.valueOf(r.get("path")).contains("/OS-TRUST/trusts/")));
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> cloud.heatLaunchCalls(planId) == 0);
        plan(planId).body("stack_status", equalTo("EXPIRED"));
    }

    @Test
    void cancellingADormantPlanDeletesItsEmptyHeatStack() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        given().header("X-Auth-Token", demo.token()).delete("/v1/stacks/" + planId).then().statusCode(200)
                .body("stack_status", equalTo("CANCELLED"));
        await().atMost(SETTLE).untilAsserted(() -> cloud.stack(stackId).then()
                .body("stack.stack_status", equalTo("DELETE_COMPLETE")));
        given().header("X-Auth-Token", demo.token()).delete("/v1/stacks/" + planId).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void listFiltersByLeaseAndStatusWithinTheProject() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("held", lease);
        given().header("X-Auth-Token", demo.token()).queryParam("lease_id", lease.id())
                .queryParam("status", "INIT_COMPLETE").get("/v1/stacks").then().statusCode(200)
                .body("id", equalTo(List.of(planId)));
        given().header("X-Auth-Token", demo.token()).queryParam("lease_id", lease.id())
                .queryParam("status", "COMPLETE").get("/v1/stacks").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void requestsWithoutOrWithABadTokenAreProblem401() {
        given().contentType("application/json").body(Map.of("lease_id", "l", "heat_stack_id", "s"))
                .post("/v1/bindings").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/token-required"));
        given().header("X-Auth-Token", "gAAAAAforged").get("/v1/stacks").then().statusCode(401)
                .body("type", equalTo("https://leaseflow.io/problems/token-invalid"));
    }

    @Test
    void openApiDescribesTheStacksApi() {
        String openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        for (String path : List.of("/v1/stacks", "/v1/stacks/{id}", "/v1/stacks/{id}/launch", "/v1/bindings")) {
            assertTrue(openapi.contains("\"" + path + "\""), path);
        }
        assertFalse(openapi.contains("trust_id"), "the API never shows trust ids");
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
