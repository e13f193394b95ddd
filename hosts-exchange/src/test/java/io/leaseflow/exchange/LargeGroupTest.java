package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.InputsLongPollTest.parkedPolls;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class LargeGroupTest {

    private static final int MEMBERS = 200;

    @TestHTTPResource("/")
    String baseUrl;

    @Test
    void twoHundredMembersCompleteAndEveryLongPollerGetsTheSameJsonAggregate() throws Exception {
        var agents = new HttpAgents(baseUrl);
        var group = createGroup(MEMBERS);
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            polls.add(agents.awaitAggregate(group, "90s"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedPolls() >= MEMBERS);

        var permits = new Semaphore(16);
        List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            writes.add(agents.report(group, "node-" + i, "10.0." + i / 250 + "." + i % 250 + " node-" + i, permits));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var write : writes) {
            statuses.add(write.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses, everyItem(is(201)));

        Set<String> bodies = new HashSet<>();
        for (var poll : polls) {
            HttpResponse<String> answer = poll.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            bodies.add(answer.body());
        }
        assertEquals(1, bodies.size(), "every poller got the same aggregate");
        JsonNode aggregate = new ObjectMapper().readTree(bodies.iterator().next());
        assertEquals("COMPLETE", aggregate.get("status").asText());
        assertEquals(MEMBERS, aggregate.get("reported").asInt());
        assertEquals(MEMBERS, aggregate.get("inputs").get("hosts").size());
        assertEquals("10.0.0.7 node-7", aggregate.get("inputs").get("hosts").get("node-7").asText());
        given().when().get(group.path()).then().statusCode(200).body("status", is("COMPLETE"))
                .body("reported", is(MEMBERS));
        await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 0);
    }
}
