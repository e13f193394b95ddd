package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.leaseflow.exchange.InputsLongPollTest.parkedPolls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.fuzz.HttpProbe;
import io.leaseflow.testing.fuzz.ProblemCheck;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Back-pressure, CI-sized: {@value #LIMIT} long-polls parked at once hold no thread each, the next one is refused
 * with a 503 problem and {@code Retry-After}, and all of them are answered when their groups complete. The 10,000
 * poll run with memory figures is {@code io.leaseflow.bench.LongPollLoad} (module README).
 */
@QuarkusTest
@TestProfile(ParkedPollLimitTest.Limit.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class ParkedPollLimitTest {
    static final int LIMIT = 2000;
    static final int GROUPS = 4;

    public static class Limit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.exchange.max-parked-polls", Integer.toString(LIMIT),
                    "leaseflow.exchange.poll-retry-after", "7s");
        }
    }

    @TestHTTPResource("/")
    String baseUrl;

    @Test
    void pollsPastTheLimitAre503WithRetryAfterAndParkedPollsHoldNoThreads() throws Exception {
        List<ExchangeClient.Group> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            groups.add(createGroup(2));
        }
        // The client's own threads are fixed, so any growth in this JVM's thread count would be the server's.
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(20)).build();
        try {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                var g = groups.get(i % GROUPS);
                polls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + g.path().substring(1)
                        + "/inputs?wait=120s")).header("Authorization", "Bearer " + g.joinToken())
                        .timeout(Duration.ofSeconds(180)).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> parkedPolls() >= LIMIT);
            int threadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf("BACKPRESSURE %d polls parked: JVM threads %d before, %d parked (server and client)%n",
                    LIMIT, threadsBefore, threadsParked);
            assertTrue(threadsParked - threadsBefore < 50, "threads grew from " + threadsBefore + " to "
                    + threadsParked + " for " + LIMIT + " parked polls");

            var g0 = groups.get(0);
            HttpProbe probe = HttpProbe.testApp();
            HttpProbe.Reply refused = probe.get(g0.path() + "/inputs?wait=30s",
                    Map.of("Authorization", "Bearer " + g0.joinToken()));
            assertEquals(503, refused.status(), refused.body());
            assertEquals("7", refused.header("Retry-After"));
            assertTrue(refused.body().contains("too-many-polls"), refused.body());
            assertEquals(null, ProblemCheck.shapeViolation(refused));
            assertTrue(metric("leaseflow_exchange_polls_refused_total", "") >= 1);
            // A read that does not park is still served.
            assertEquals(200, probe.get(g0.path() + "/inputs", Map.of("Authorization", "Bearer " + g0.joinToken()))
                    .status());

            for (var g : groups) {
                report(g, "node-0", "10.0.0.1 node-0").then().statusCode(201);
                report(g, "node-1", "10.0.0.2 node-1").then().statusCode(201);
            }
            int complete = 0;
            for (var poll : polls) {
                var r = poll.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().contains("\"COMPLETE\"")) {
                    complete++;
                }
            }
            assertEquals(LIMIT, complete);
            await().atMost(Duration.ofSeconds(10)).until(() -> parkedPolls() == 0);
        } finally {
            clientThreads.shutdownNow();
        }
    }
}
