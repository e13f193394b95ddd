package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.inputs;
import static io.leaseflow.exchange.ExchangeClient.poll;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class InputsLongPollTest {

    /** What an agent-style poll loop saw: the closing answer, how many requests it took, and how long. */
    record PollResult(Response last, int requests, Duration took) {
    }

    /** Polls like the shipped agent: present the last ETag, repeat until the group is no longer OPEN. */
    static PollResult pollUntilClosed(ExchangeClient.Group group, String wait) {
        long start = System.nanoTime();
        String etag = inputs(group).then().statusCode(200).extract().header("ETag");
        int requests = 1;
        while (true) {
            Response response = poll(group, wait, etag);
            requests++;
            if (response.statusCode() == 200) {
                etag = response.header("ETag");
                if (!"OPEN".equals(response.path("status"))) {
                    return new PollResult(response, requests, Duration.ofNanos(System.nanoTime() - start));
                }
            } else {
                assertThat(response.statusCode(), is(304));
            }
        }
    }

    @Test
    void longPollReturnsAggregateOnceLastMemberReports() throws Exception {
        var group = createGroup(3);
        var poller = CompletableFuture.supplyAsync(() -> pollUntilClosed(group, "30s"));
        // Reports start only once the poll is parked on the server, so the wake-up path is what gets tested.
        await().atMost(Duration.ofSeconds(10)).until(() -> parkedPolls() >= 1);

        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(201);
        report(group, "node-2", "10.0.0.7 node-2").then().statusCode(201);

        PollResult result = poller.get(30, TimeUnit.SECONDS);
        result.last().then()
                .contentType(startsWith("application/json"))
                .body("status", equalTo("COMPLETE"))
                .body("inputs.hosts", equalTo(Map.of(
                        "node-0", "10.0.0.5 node-0",
                        "node-1", "10.0.0.6 node-1",
                        "node-2", "10.0.0.7 node-2")));
        assertThat(result.took(), lessThan(Duration.ofSeconds(30)));
        // Parked, not spinning: the first poll plus at most one round per change.
        assertThat(result.requests(), lessThanOrEqualTo(5));
    }

    @Test
    void pollWithoutETagWakesOnlyWhenTheGroupCloses() throws Exception {
        var group = createGroup(3);
        var poll = CompletableFuture.supplyAsync(() -> given().auth().oauth2(group.joinToken())
                .queryParam("wait", "30s").when().get(group.path() + "/inputs"));
        await().atMost(Duration.ofSeconds(10)).until(() -> parkedPolls() >= 1);

        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(201);
        // Two of three reported: the aggregate is not there yet, so the agent's single request stays parked.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());

        report(group, "node-2", "10.0.0.7 node-2").then().statusCode(201);
        poll.get(10, TimeUnit.SECONDS).then().statusCode(200)
                .body("status", equalTo("COMPLETE"))
                .body("inputs.hosts.size()", is(3));
    }

    @Test
    void closedGroupStillWantsItsTokenAndItsDeletionIsSeen() {
        var group = createGroup(1);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> inputs(group).then().statusCode(200)
                .body("status", equalTo("COMPLETE")));
        // Served from the closed group's kept row now: the token is still checked.
        inputs(group).then().statusCode(200).body("inputs.hosts.node-0", equalTo("10.0.0.5 node-0"));
        given().auth().oauth2("not-the-token").when().get(group.path() + "/inputs").then().statusCode(401);
        given().when().get(group.path() + "/inputs").then().statusCode(401);
        given().auth().oauth2(group.joinToken()).when().delete(group.path()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> inputs(group).then().statusCode(404));
    }

    @Test
    void unchangedGroupAnswers304WithTheSameETagAfterTheWait() {
        var group = createGroup(2);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        String etag = inputs(group).then().statusCode(200).extract().header("ETag");

        long start = System.nanoTime();
        poll(group, "1s", etag).then().statusCode(304).header("ETag", equalTo(etag));
        assertThat(Duration.ofNanos(System.nanoTime() - start), greaterThanOrEqualTo(Duration.ofMillis(900)));
    }

    @Test
    void etcHostsFormatListsEveryMember() {
        var group = createGroup(3);
        report(group, "node-2", "10.0.0.7 node-2").then().statusCode(201);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        report(group, "node-1", "10.0.0.6 node-1\n").then().statusCode(201);

        given().auth().oauth2(group.joinToken()).queryParam("format", "etc-hosts")
                .when().get(group.path() + "/inputs/hosts")
                .then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(is("10.0.0.5 node-0\n10.0.0.6 node-1\n10.0.0.7 node-2\n"));
        given().auth().oauth2(group.joinToken())
                .when().get(group.path() + "/inputs/hosts")
                .then().statusCode(200)
                .body("node-0", equalTo("10.0.0.5 node-0"))
                .body("size()", is(3));
    }

    @Test
    void expiredGroupWithPartialPolicyReturnsWhatItHas() throws Exception {
        var group = createGroup(3, 2, "partial");
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        String etag = inputs(group).then().statusCode(200).body("status", equalTo("OPEN")).extract().header("ETag");

        // Nobody else reports: the sweep, not a member, has to wake this poll.
        long start = System.nanoTime();
        poll(group, "30s", etag).then().statusCode(200)
                .body("status", equalTo("PARTIAL"))
                .body("inputs.hosts", equalTo(Map.of("node-0", "10.0.0.5 node-0")));
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(10)));

        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(409)
                .body("type", equalTo("https://leaseflow.io/problems/group-not-open"));
        given().when().get(group.path()).then().statusCode(200)
                .body("status", equalTo("PARTIAL")).body("reported", is(1));
    }

    @Test
    void expiredGroupWithFailPolicyIsExpired() {
        var group = createGroup(2, 1, "fail");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "EXPIRED".equals(given().when().get(group.path()).path("status")));
        inputs(group).then().statusCode(200).body("status", equalTo("EXPIRED"));
    }

    static double parkedPolls() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("leaseflow_exchange_polls_parked"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
