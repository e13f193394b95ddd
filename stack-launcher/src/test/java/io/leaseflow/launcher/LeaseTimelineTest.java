package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.StackEventType;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code GET /v1/leases/{id}/timeline} on its own: the Heat call log, who may read it, and the partial answer when
 * the peers cannot answer (lease-watcher accepts connections and never answers; hosts-exchange is not there).
 */
@QuarkusTest
@TestProfile(LeaseTimelineTest.SilentPeers.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class LeaseTimelineTest {
    static final String OPERATOR_SECRET = "operator-secret-for-tests";

    /** A TCP peer that accepts and never answers, and a port where nothing listens. */
    public static class SilentPeers implements QuarkusTestProfile {
        static final ServerSocket SILENT = silentServer();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.lease-watcher.url", "http://127.0.0.1:" + SILENT.getLocalPort(),
                    "quarkus.rest-client.hosts-exchange.url", "http://127.0.0.1:" + closedPort(),
                    "leaseflow.timeline.peer-timeout", "1s",
                    "leaseflow.timeline.operator-secret", OPERATOR_SECRET);
        }

        private static ServerSocket silentServer() {
            try {
                ServerSocket server = new ServerSocket(0);
                Thread accepter = new Thread(() -> {
                    List<Socket> held = new ArrayList<>();
                    while (!server.isClosed()) {
                        try {
                            held.add(server.accept());
                        } catch (IOException closed) {
                            return;
                        }
                    }
                }, "silent-peer");
                accepter.setDaemon(true);
                accepter.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int closedPort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
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

    /** A plan launched from a lease event carrying {@code traceparent}; its id. */
    private String launched(Cloud.Lease lease, String traceparent) {
        String planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).extract().path("id");
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease, traceparent);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                .get("/v1/stacks/" + planId).then().body("stack_status", equalTo("COMPLETE")));
        return planId;
    }

    private JsonPath timeline(String leaseId, String header, String value) {
        return given().header(header, value).get("/v1/leases/" + leaseId + "/timeline").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void launchedLeaseListsTransitionsAndTheHeatPatchInOrderOnTheTraceOfTheLeaseEvent() {
        Cloud.Lease lease = cloud.lease(demo);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String planId = launched(lease, "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01");

        long started = System.nanoTime();
        JsonPath t = timeline(lease.id(), "X-Auth-Token", demo.token());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5_000, "silent peers cost one timeout");

        assertEquals(true, t.getBoolean("partial"));
        assertEquals(List.of("lease-watcher", "hosts-exchange"), t.getList("unavailable.service"));
        assertEquals("no answer within the timeout", t.getString("unavailable[0].reason"));

        List<Map<String, Object>> entries = t.getList("entries");
        List<String> story = entries.stream().map(e -> e.get("kind") + ":" + switch ((String) e.get("kind")) {
            case "plan-transition" -> details(e).get("to");
            case "heat-call" -> details(e).get("method") + " " + details(e).get("status");
            case "stack-event" -> details(e).get("type");
            default -> "";
        }).filter(s -> !s.equals("heat-call:GET 200")).toList();
        assertEquals(List.of("heat-call:POST 200", "heat-call:POST 201", "plan-transition:INIT_COMPLETE",
                "plan-transition:LAUNCHING", "stack-event:io.leaseflow.stack.launch-requested",
                "heat-call:PATCH 202", "plan-transition:IN_PROGRESS", "stack-event:io.leaseflow.stack.launched",
                "plan-transition:COMPLETE", "stack-event:io.leaseflow.stack.completed"), story);
        List<String> times = entries.stream().map(e -> (String) e.get("time")).toList();
        assertEquals(times.stream().map(java.time.Instant::parse).sorted().map(Object::toString).toList(),
                times.stream().map(java.time.Instant::parse).map(Object::toString).toList(), "time order");

        Map<String, Object> patch = entries.stream().filter(e -> "heat-call".equals(e.get("kind"))
                && "PATCH".equals(details(e).get("method"))).findFirst().orElseThrow();
        Map<String, Object> received = cloud.requests("heat", "PATCH").stream()
                .filter(r -> String.valueOf(r.get("path")).endsWith((String) details(patch).get("path")))
                .findFirst().orElseThrow();
        assertEquals(received.get("request_id"), details(patch).get("request_id"), "Heat's x-openstack-request-id");
        assertEquals(planId, details(patch).get("plan_id"));
        assertEquals(traceId, patch.get("trace_id"), "the Heat call continues the lease event's trace");
        assertEquals(traceId, ((String) received.get("traceparent")).substring(3, 35), "Heat received that trace");
        assertEquals(traceId, entries.stream().filter(e -> "LAUNCHING".equals(details(e).get("to"))).findFirst()
                .orElseThrow().get("trace_id"));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            var events = kafka.consumeStrings().fromTopics(Topics.STACK_EVENTS + topicSuffix);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.getRecords().stream()
                    .anyMatch(r -> planId.equals(r.key()) && launchRequested(r)));
            var record = events.getRecords().stream().filter(r -> planId.equals(r.key()) && launchRequested(r))
                    .findFirst().orElseThrow();
            events.close();
            assertEquals(traceId, header(record, "traceparent").substring(3, 35),
                    "the relayed stack event continues the trace of its transition");
        }
    }

    private static boolean launchRequested(ConsumerRecord<String, String> record) {
        return StackEventType.LAUNCH_REQUESTED.cloudEventType().equals(header(record, "ce_type"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void everyHeatAttemptIsLoggedWithItsStatus() {
        Cloud.Lease lease = cloud.lease(demo);
        cloud.fault("heat", "PATCH", 503, 2);
        launched(lease, null);
        List<Map<String, Object>> patches = timeline(lease.id(), "Authorization", "Bearer " + OPERATOR_SECRET)
                .<Map<String, Object>>getList("entries").stream()
                .filter(e -> "heat-call".equals(e.get("kind")) && "PATCH".equals(details(e).get("method"))).toList();
        assertEquals(List.of(503, 503, 202), patches.stream().map(e -> details(e).get("status")).toList());
        for (Map<String, Object> p : patches) {
            assertTrue(((Number) details(p).get("duration_ms")).intValue() >= 0);
            assertTrue(String.valueOf(details(p).get("request_id")).startsWith("req-"), p.toString());
        }
    }

    @Test
    void onlyTheOwningProjectOrAnAdminReadsTheTimeline() {
        Cloud.Lease lease = cloud.lease(demo);
        given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201);
        String path = "/v1/leases/" + lease.id() + "/timeline";

        given().get(path).then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/token-required"));
        given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("X-Auth-Token", cloud.user("rival").token()).get(path).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/lease-not-yours"));
        given().header("X-Auth-Token", demo.token()).get("/v1/leases/" + UUID.randomUUID() + "/timeline").then()
                .statusCode(404).contentType("application/problem+json");
        given().header("X-Auth-Token", cloud.user("leaseflow", "leaseflow-secret", "service").token()).get(path).then().statusCode(200)
                .body("lease_id", equalTo(lease.id()));
        given().header("Authorization", "Bearer " + OPERATOR_SECRET).get(path).then().statusCode(200);
    }

    @Test
    void openApiDocumentsTheTimelineAndItsProblems() {
        String openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract()
                .asString();
        assertTrue(openapi.contains("\"/v1/leases/{lease_id}/timeline\""));
        for (String status : List.of("\"401\"", "\"403\"", "\"404\"", "LeaseTimeline", "TimelineEntry")) {
            assertTrue(openapi.contains(status), status);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("details");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
