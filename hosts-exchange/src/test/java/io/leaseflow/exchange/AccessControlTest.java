package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.inputs;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Who may do what, beyond the cases of MemberReportTest (no or wrong join token, another group's token, a second
 * writer without the secret): another member's secret, a join token replayed after its group closed or was
 * deleted, deletion and capability URLs with the wrong token. Every refusal is a problem; nothing changes.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class AccessControlTest {

    private static io.restassured.response.Response write(ExchangeClient.Group group, String key, String value,
            String memberSecret) {
        return given().contentType(ContentType.JSON).auth().oauth2(group.joinToken())
                .header("X-Member-Secret", memberSecret).body(Map.of("outputs", Map.of("hosts", value)))
                .when().put(group.path() + "/members/" + key);
    }

    @Test
    void anotherMembersSecretCannotOverwriteAKey() {
        var group = createGroup(3);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        String node1Secret = report(group, "node-1", "10.0.0.6 node-1").then().statusCode(201)
                .extract().path("member_secret");

        write(group, "node-0", "10.6.6.6 impostor", node1Secret).then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/member-secret-mismatch"));
        inputs(group).then().statusCode(200)
                .body("inputs.hosts.node-0", equalTo("10.0.0.5 node-0"));
    }

    @Test
    void joinTokenReplayedAfterTheGroupCompletedClaimsNothing() {
        var group = createGroup(1);
        String secret = report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201)
                .body("group_status", equalTo("COMPLETE")).extract().path("member_secret");

        report(group, "node-9", "10.6.6.6 late").then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/group-not-open"));
        write(group, "node-0", "10.6.6.6 changed", secret).then().statusCode(409);
        given().auth().oauth2(group.joinToken()).post(group.path() + "/heat-members/node-9").then()
                .statusCode(409).contentType(startsWith("application/problem+json"));
        inputs(group).then().statusCode(200).body("inputs.hosts", equalTo(Map.of("node-0", "10.0.0.5 node-0")))
                .body("status", equalTo("COMPLETE"));
    }

    @Test
    void joinTokenReplayedAfterTheGroupExpiredIsRefused() {
        var group = ExchangeClient.createGroup(2, 1, "fail");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                given().get(group.path()).then().body("status", equalTo("EXPIRED")));
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(409)
                .body("type", equalTo("https://leaseflow.io/problems/group-not-open"));
    }

    @Test
    void deletedGroupRefusesItsJoinTokenAndOnlyTheTokenDeletes() {
        var group = createGroup(2);
        var other = createGroup(2);
        given().auth().oauth2(other.joinToken()).delete(group.path()).then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().delete(group.path()).then().statusCode(401);
        given().get(group.path()).then().statusCode(200).body("status", equalTo("OPEN"));

        given().auth().oauth2(group.joinToken()).delete(group.path()).then().statusCode(204);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/group-not-found"));
        inputs(group).then().statusCode(404);
    }

    @Test
    void capabilityUrlsNeedTheGroupsJoinToken() {
        var group = createGroup(2);
        var other = createGroup(2);
        given().post(group.path() + "/heat-members/vm-0").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(other.joinToken()).post(group.path() + "/heat-members/vm-0").then().statusCode(401);
        given().get("/v1/heat/" + "A".repeat(43)).then().statusCode(404)
                .body("type", equalTo("https://leaseflow.io/problems/capability-not-found"))
                .body("status", is(404));
    }
}
