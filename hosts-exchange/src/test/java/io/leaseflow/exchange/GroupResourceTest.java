package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class GroupResourceTest {

    @Test
    void createdGroupIsOpenWithTokenAndUrls() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "mpi", "size", 4, "outputs", List.of("hosts")))
                .when().post("/v1/groups")
                .then().statusCode(201)
                .header("Location", not(nullValue()))
                .body("status", equalTo("OPEN"))
                .body("size", is(4))
                .body("join_token.length()", is(43))
                .body("urls.members", endsWith("/members/{key}"))
                .body("urls.inputs", endsWith("/inputs"));
    }

    @Test
    void putWithAChosenIdAndTokenCreatesOnceAndRepeatsIdempotently() {
        String id = java.util.UUID.randomUUID().toString();
        String token = "chosen-token-0123456789abcdefghijklmnopqrstuvwxyz";
        Map<String, Object> body = Map.of("name", "launch", "size", 2, "outputs", List.of("hosts"), "timeout_s", 600,
                "on_timeout", "partial");
        given().contentType(ContentType.JSON).auth().oauth2(token).body(body).when().put("/v1/groups/" + id)
                .then().statusCode(201).body("id", equalTo(id)).body("join_token", equalTo(token))
                .body("urls.inputs", endsWith("/v1/groups/" + id + "/inputs"));
        // A retry after a timeout or a crash: the same group, not a second one.
        given().contentType(ContentType.JSON).auth().oauth2(token).body(body).when().put("/v1/groups/" + id)
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("OPEN"));
        var group = new ExchangeClient.Group(id, token);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        given().when().get(group.path()).then().body("reported", is(1)).body("size", is(2));

        given().contentType(ContentType.JSON).auth().oauth2("another-token-0123456789abcdefghijklmnopqrstu").body(body)
                .when().put("/v1/groups/" + id).then().statusCode(409)
                .body("type", endsWith("/group-id-taken"));
        given().contentType(ContentType.JSON).auth().oauth2(token)
                .body(Map.of("name", "launch", "size", 3, "outputs", List.of("hosts"), "timeout_s", 600,
                        "on_timeout", "partial"))
                .when().put("/v1/groups/" + id).then().statusCode(409).body("detail", containsString("definition"));
        given().contentType(ContentType.JSON).body(body).when().put("/v1/groups/" + java.util.UUID.randomUUID())
                .then().statusCode(401);
        given().contentType(ContentType.JSON).auth().oauth2("short").body(body)
                .when().put("/v1/groups/" + java.util.UUID.randomUUID()).then().statusCode(422);
        given().when().get(group.path()).then().body("reported", is(1)).body("size", is(2));
    }

    @Test
    void groupViewShowsProgressButNeverTheToken() {
        var group = createGroup(3);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        given().when().get(group.path()).then().statusCode(200)
                .body("status", equalTo("OPEN"))
                .body("reported", is(1))
                .body("size", is(3))
                .body("deadline", not(nullValue()))
                .body("on_timeout", equalTo("fail"))
                .body("$", not(hasKey("join_token")))
                .body("$", not(hasKey("join_token_hash")));
    }

    @Test
    void invalidGroupDefinitionIsProblem422() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "size", 10001, "outputs", List.of("bad name"), "timeout_s", 0,
                        "on_timeout", "retry"))
                .when().post("/v1/groups")
                .then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/invalid-request"))
                .body("errors.size()", is(4))
                .body("errors", hasItem(startsWith("size:")));
    }

    @Test
    void groupsCreatedForALeaseAreListedByLeaseId() {
        String lease = UUID.randomUUID().toString();
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "mpi", "size", 2, "outputs", List.of("hosts"), "lease_id", lease))
                .when().post("/v1/groups").then().statusCode(201).extract().path("id");
        createGroup(2); // no lease: never listed
        given().queryParam("lease_id", lease).when().get("/v1/groups").then().statusCode(200)
                .body("size()", is(1))
                .body("[0].id", equalTo(id))
                .body("[0].lease_id", equalTo(lease))
                .body("[0].status", equalTo("OPEN"))
                .body("[0]", not(hasKey("join_token")));
        given().get("/v1/groups/" + id).then().body("lease_id", equalTo(lease));
        given().queryParam("lease_id", UUID.randomUUID().toString()).when().get("/v1/groups").then()
                .statusCode(200).body("size()", is(0));
    }

    @Test
    void leaseIdMustBeIdLikeAndTheListNeedsOne() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "mpi", "size", 2, "outputs", List.of("hosts"), "lease_id", "a b/../c"))
                .when().post("/v1/groups").then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("errors", hasItem(startsWith("lease_id:")));
        given().when().get("/v1/groups").then().statusCode(422)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void malformedJsonIsProblem400() {
        given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/v1/groups")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/malformed-request"));
    }

    @Test
    void unknownGroupIsProblem404() {
        String path = "/v1/groups/" + UUID.randomUUID();
        given().when().get(path)
                .then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/group-not-found"))
                .body("title", equalTo("Group not found"))
                .body("status", is(404))
                .body("instance", equalTo(path));
        given().auth().oauth2("whatever").when().get(path + "/inputs?wait=5s").then().statusCode(404);
        given().contentType(ContentType.JSON).auth().oauth2("whatever")
                .body(Map.of("outputs", Map.of("hosts", "x"))).when().put(path + "/members/node-0")
                .then().statusCode(404);
        given().when().get("/v1/groups/not-a-uuid").then().statusCode(404)
                .body("type", equalTo("https://leaseflow.io/problems/group-not-found"));
    }

    @Test
    void deleteNeedsTheJoinTokenAndRemovesTheGroup() {
        var group = createGroup(2);
        // A first claim makes this replica remember the open group; the deletion must end that at once.
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        given().when().delete(group.path()).then().statusCode(401);
        given().auth().oauth2(group.joinToken()).when().delete(group.path()).then().statusCode(204);
        given().when().get(group.path()).then().statusCode(404);
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(404);
    }

    @Test
    void healthOpenApiAndAgentAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/v1/groups/{id}/inputs"));
        given().when().get("/agent/leaseflow-agent.sh").then().statusCode(200)
                .body(startsWith("#!/bin/sh"));
    }
}
