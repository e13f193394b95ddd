package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint refuses a missing token and an expired one (401 problem), and another project's token finds
 * nothing (404 problem, as if the plan did not exist); the plan is untouched by all of them.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class AccessControlTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;

    Cloud cloud;
    Cloud.User demo;
    Cloud.Lease lease;
    String planId;
    String planView;

    @BeforeEach
    void initializeAPlan() {
        cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
        lease = cloud.lease(demo);
        planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).extract().path("id");
        planView = view();
    }

    private String view() {
        return given().header("X-Auth-Token", cloud.user("demo").token()).get("/v1/stacks/" + planId).then()
                .statusCode(200).extract().asString();
    }

    /** Every operation of the API, with a body that would be valid, as the given request. */
    private List<Response> everyEndpoint(RequestSpecification spec) {
        Map<String, Object> init = InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE);
        Map<String, Object> bind = Map.of("stack_name", "b", "lease_id", lease.id(),
                "heat_stack_id", "7a1c3c6e-3f36-4a8d-9d0b-2f6a1b0e6c11");
        return List.of(
                given().spec(spec).contentType("application/json").body(init).post("/v1/stacks"),
                given().spec(spec).contentType("application/json").body(bind).post("/v1/bindings"),
                given().spec(spec).get("/v1/stacks"),
                given().spec(spec).get("/v1/plans"),
                given().spec(spec).get("/v1/stacks/" + planId),
                given().spec(spec).get("/v1/plans/" + planId),
                given().spec(spec).contentType("application/json")
                        .body(Map.of("reservation_id", lease.reservationId())).post("/v1/stacks/" + planId + "/launch"),
                given().spec(spec).delete("/v1/stacks/" + planId));
    }

    @Test
    void noTokenIs401OnEveryEndpoint() {
        for (Response r : everyEndpoint(given())) {
            r.then().statusCode(401).contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://leaseflow.io/problems/token-required"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(planView, view());
    }

    @Test
    void expiredTokenIs401OnEveryEndpoint() {
        String token = cloud.user("demo").token();
        given().header("X-Auth-Token", token).get("/v1/stacks/" + planId).then().statusCode(200);
        new SimCloud(simUrl).expireToken(token);
        for (Response r : everyEndpoint(given().header("X-Auth-Token", token))) {
            r.then().statusCode(401).contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://leaseflow.io/problems/token-invalid"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(planView, view());
    }

    @Test
    void anotherProjectsTokenFindsNoPlanAnywhere() {
        Cloud.User rival = cloud.user("rival");
        RequestSpecification asRival = given().header("X-Auth-Token", rival.token());
        for (String path : List.of("/v1/stacks/" + planId, "/v1/plans/" + planId)) {
            given().spec(asRival).get(path).then().statusCode(404)
                    .contentType(startsWith("application/problem+json"));
        }
        given().spec(asRival).delete("/v1/stacks/" + planId).then().statusCode(404);
        given().spec(asRival).contentType("application/json").body(Map.of("reservation_id", lease.reservationId()))
                .post("/v1/stacks/" + planId + "/launch").then().statusCode(404);
        given().spec(asRival).get("/v1/stacks").then().statusCode(200).body("id", not(hasItem(planId)));
        given().spec(asRival).queryParam("lease_id", lease.id()).get("/v1/plans").then().statusCode(200)
                .body("id", not(hasItem(planId)));
        org.junit.jupiter.api.Assertions.assertEquals(planView, view());
    }

    @Test
    void anotherProjectsLeaseCannotBeInitializedOn() {
        // rival names demo's lease: leaseflow reads the lease from Blazar with rival's token, which cannot see it.
        Cloud.User rival = cloud.user("rival");
        given().header("X-Auth-Token", rival.token()).contentType("application/json")
                .body(InitializedStacksTest.body("held", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(403), equalTo(422)))
                .contentType(startsWith("application/problem+json"));
    }
}
