package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.inputs;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
class MemberReportTest {

    @Test
    void secondWriterWithoutMemberSecretIsRefused() {
        var group = createGroup(2);
        String secret = report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201)
                .body("member_secret", not(nullValue())).extract().path("member_secret");

        report(group, "node-0", "10.6.6.6 impostor").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/member-secret-mismatch"))
                .body("status", is(403));
        given().contentType(ContentType.JSON).auth().oauth2(group.joinToken()).header("X-Member-Secret", "wrong")
                .body(Map.of("outputs", Map.of("hosts", "10.6.6.6 impostor")))
                .when().put(group.path() + "/members/node-0")
                .then().statusCode(403);
        given().contentType(ContentType.JSON).auth().oauth2(group.joinToken()).header("X-Member-Secret", secret)
                .body(Map.of("outputs", Map.of("hosts", "10.0.0.9 node-0")))
                .when().put(group.path() + "/members/node-0")
                .then().statusCode(200).body("member_secret", nullValue());

        inputs(group).then().statusCode(200)
                .body("inputs.hosts", equalTo(Map.of("node-0", "10.0.0.9 node-0")))
                .body("reported", is(1));
    }

    @Test
    void oversizedOutputIsRefusedWithProblemDetails() {
        var group = createGroup(2);
        String limit = "a".repeat(64 * 1024);

        report(group, "node-0", limit + "b").then().statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://leaseflow.io/problems/output-too-large"))
                .body("title", not(nullValue()))
                .body("status", is(413))
                .body("detail", not(nullValue()))
                .body("instance", equalTo(group.path() + "/members/node-0"));
        report(group, "node-0", limit).then().statusCode(201);
    }

    @Test
    void undeclaredOutputAndBadKeyAre422() {
        var group = createGroup(2);
        given().contentType(ContentType.JSON).auth().oauth2(group.joinToken())
                .body(Map.of("outputs", Map.of("hosts", "10.0.0.5 node-0", "ssh_key", "ssh-ed25519 AAAA")))
                .when().put(group.path() + "/members/node-0")
                .then().statusCode(422).body("type", equalTo("https://leaseflow.io/problems/unknown-output"));
        report(group, "node 0!", "10.0.0.5 node-0").then().statusCode(422)
                .body("type", equalTo("https://leaseflow.io/problems/invalid-request"));
    }

    @Test
    void missingOrWrongJoinTokenIs401() {
        var group = createGroup(2);
        given().contentType(ContentType.JSON).body(Map.of("outputs", Map.of("hosts", "x")))
                .when().put(group.path() + "/members/node-0")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://leaseflow.io/problems/invalid-join-token"));
        var other = createGroup(2);
        report(new ExchangeClient.Group(group.id(), other.joinToken()), "node-0", "x").then().statusCode(401);
        given().auth().oauth2("nope").when().get(group.path() + "/inputs").then().statusCode(401);
    }

    @Test
    void concurrentLastReportsCompleteTheGroupOnce() throws Exception {
        int size = 8;
        int rounds = 3;
        double completedBefore = closedGroups("COMPLETE");
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            for (int round = 0; round < rounds; round++) {
                var group = createGroup(size);
                var start = new CountDownLatch(1);
                List<CompletableFuture<Integer>> writes = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    String key = "node-" + i;
                    writes.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(start);
                        return report(group, key, "10.0.0." + key.substring(5) + " " + key).statusCode();
                    }, pool));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (var write : writes) {
                    statuses.add(write.get(30, TimeUnit.SECONDS));
                }
                assertThat(statuses, everyItem(is(201)));
                given().when().get(group.path()).then().statusCode(200)
                        .body("status", equalTo("COMPLETE")).body("reported", is(size));
                Map<String, String> hosts = inputs(group).then().statusCode(200).extract().path("inputs.hosts");
                assertThat(hosts, aMapWithSize(size));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(closedGroups("COMPLETE") - completedBefore, is((double) rounds));
    }

    @Test
    void writeToCompletedGroupIsConflict() {
        var group = createGroup(1);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201).body("group_status", equalTo("COMPLETE"));
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(409)
                .body("type", equalTo("https://leaseflow.io/problems/group-not-open"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double closedGroups(String status) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = "leaseflow_exchange_groups_closed_total{";
        return metrics.lines()
                .filter(line -> line.startsWith(prefix) && line.contains("status=\"" + status + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
