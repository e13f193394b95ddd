package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.process.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two replicas on one Kafka and one PostgreSQL: this JVM's (A) and the packaged jar as a child process (B). Writes
 * go to either, polls park on either; whichever replica owns a group's partition decides, and the events reach
 * both. B's resync timer is set to a minute, so its wake-ups can only come through Kafka.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class TwoReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServiceProcess replicaB;

    @TestHTTPResource("/")
    String baseUrlA;

    static synchronized ServiceProcess replicaB() {
        if (replicaB == null) {
            Config config = ConfigProvider.getConfig();
            Map<String, String> props = new HashMap<>();
            for (String key : List.of("kafka.bootstrap.servers", "leaseflow.topic-suffix", "quarkus.datasource.reactive.url",
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password")) {
                props.put(key, config.getValue(key, String.class));
            }
            props.put("leaseflow.exchange.resync-interval", "60s");
            props.put("leaseflow.exchange.sweep-interval", "1s");
            replicaB = ServiceProcess.start("hosts-exchange", FreePort.pick(), props, Path.of("target", "replica-b"))
                    .awaitReady(Duration.ofSeconds(90));
        }
        return replicaB;
    }

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void twoReplicasShareGroupsWritesAndWakeUps() throws Exception {
        var a = new HttpAgents(baseUrlA);
        var b = new HttpAgents(replicaB().baseUrl());
        int groups = 6;
        int members = 10;
        List<ExchangeClient.Group> created = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            var group = createGroup(members);
            created.add(group);
            // Readers on both replicas wait for the aggregate.
            polls.add(a.awaitAggregate(group, "90s"));
            polls.add(b.awaitAggregate(group, "90s"));
        }
        List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
        for (var group : created) {
            for (int i = 0; i < members; i++) {
                var replica = i % 2 == 0 ? a : b;
                writes.add(replica.report(group, "node-" + i, "10.1.0." + i + " node-" + i, (String) null));
            }
        }
        for (var write : writes) {
            HttpResponse<String> answer = write.get(60, TimeUnit.SECONDS);
            assertEquals(201, answer.statusCode(), answer.body());
        }
        Map<String, Set<String>> bodiesByGroup = new HashMap<>();
        for (int i = 0; i < polls.size(); i++) {
            HttpResponse<String> answer = polls.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            bodiesByGroup.computeIfAbsent(created.get(i / 2).id(), id -> new HashSet<>()).add(answer.body());
        }
        for (var bodies : bodiesByGroup.values()) {
            assertEquals(1, bodies.size(), "both replicas served the same aggregate");
            JsonNode aggregate = JSON.readTree(bodies.iterator().next());
            assertEquals("COMPLETE", aggregate.get("status").asText());
            assertEquals(members, aggregate.get("inputs").get("hosts").size());
        }
    }

    @Test
    void aKeyClaimedOnOneReplicaCannotBeOverwrittenThroughTheOther() throws Exception {
        var a = new HttpAgents(baseUrlA);
        var b = new HttpAgents(replicaB().baseUrl());
        var group = createGroup(3);
        HttpResponse<String> claim = a.report(group, "node-0", "10.0.0.5 node-0", (String) null).get(30, TimeUnit.SECONDS);
        assertEquals(201, claim.statusCode());
        String secret = JSON.readTree(claim.body()).get("member_secret").asText();

        HttpResponse<String> impostor = b.report(group, "node-0", "10.6.6.6 evil", (String) null).get(30, TimeUnit.SECONDS);
        assertEquals(403, impostor.statusCode(), impostor.body());
        HttpResponse<String> owner = b.report(group, "node-0", "10.0.0.9 node-0", secret).get(30, TimeUnit.SECONDS);
        assertEquals(200, owner.statusCode(), owner.body());

        // A change made through A wakes an ETag poll parked on B (B's resync is a minute away).
        String etag = given().auth().oauth2(group.joinToken()).when().get(group.path() + "/inputs").then()
                .statusCode(200).extract().header("ETag");
        var parked = b.pollChange(group, "60s", etag);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> parkedOn(replicaB()) >= 1);
        long start = System.nanoTime();
        assertEquals(201, a.report(group, "node-1", "10.0.0.6 node-1", (String) null).get(30, TimeUnit.SECONDS)
                .statusCode());
        HttpResponse<String> woken = parked.get(30, TimeUnit.SECONDS);
        assertEquals(200, woken.statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        JsonNode hosts = JSON.readTree(woken.body()).get("inputs").get("hosts");
        assertEquals("10.0.0.9 node-0", hosts.get("node-0").asText());
        assertEquals("10.0.0.6 node-1", hosts.get("node-1").asText());
    }

    static double parkedOn(ServiceProcess replica) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(replica.baseUrl()
                + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("leaseflow_exchange_polls_parked"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
