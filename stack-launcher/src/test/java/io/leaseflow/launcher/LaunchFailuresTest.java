package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.contract.StackEventType;
import io.leaseflow.contract.Topics;
import io.leaseflow.launcher.recovery.LaunchRecovery;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Heat failures, crash recovery and the stack events on Kafka. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class LaunchFailuresTest {
    static final Duration SETTLE = Duration.ofSeconds(60);
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;
    @Inject
    LaunchRecovery recovery;
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

    String initialize(String mode, Cloud.Lease lease) {
        return given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body(mode, lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).extract().path("id");
    }

    io.restassured.response.ValidatableResponse plan(String id) {
        return given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + id).then().statusCode(200);
    }

    void awaitPlan(String id, String status) {
        await().atMost(SETTLE).untilAsserted(() -> plan(id).body("stack_status", equalTo(status)));
    }

    @Test
    void heatAnswering503ThreeTimesThen202StillLaunches() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.clearRequests();
        cloud.fault("heat", "PATCH", 503, 3);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        List<Integer> statuses = cloud.requests("heat", "PATCH").stream()
                .filter(r -> String.valueOf(r.get("path")).contains(stackId)).map(r -> (Integer) r.get("status"))
                .toList();
        assertEquals(List.of(503, 503, 503, 202), statuses);
        cloud.stack(stackId).then().body("stack.parameters.reservation_id", equalTo(lease.reservationId()));
    }

    @Test
    void heat400FailsThePlanAtOnceWithHeatsMessage() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.clearRequests();
        cloud.fault("heat", "PATCH", 400, 1);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "FAILED");
        plan(planId).body("status_reason", containsString("Heat answered 400"))
                .body("status_reason", containsString("Fault injected by the simulator"));
        assertEquals(1, cloud.heatLaunchCalls(stackId), "a 400 is not retried");
    }

    @Test
    void killingTheServiceBetweenTheHeatCallAndTheStatusWriteDoesNotCallHeatAgain() throws Throwable {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        String name = plan(planId).extract().path("stack_name");
        // What the dead process did: claimed the plan, and Heat accepted its PATCH; the status write never happened.
        orphan(planId, lease.reservationId());
        given().baseUri(simUrl).contentType("application/json").accept("application/json")
                .header("X-Auth-Token", demo.token())
                .body(Map.of("parameters", Map.of("reservation_id", lease.reservationId())))
                .patch(cloud.heat(demo) + "/stacks/" + name + "/" + stackId).then().statusCode(202);
        cloud.clearRequests();

        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());

        awaitPlan(planId, "COMPLETE");
        assertEquals(0, cloud.heatLaunchCalls(stackId), "recovery must not PATCH again");
        plan(planId).body("history.reason", org.hamcrest.Matchers.hasItem(containsString("recovered")));
    }

    @Test
    void heldStackCreatedBeforeACrashIsFoundByItsTagNotCreatedAgain() throws Throwable {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("held", lease);
        orphan(planId, lease.reservationId());
        String stackId = given().baseUri(simUrl).contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("stack_name", "held-crash-" + UUID.randomUUID().toString().substring(0, 8),
                        "template", Cloud.TEMPLATE, "tags", "leaseflow-plan-" + planId,
                        "parameters", Map.of("reservation_id", lease.reservationId())))
                .post(cloud.heat(demo) + "/stacks").then().statusCode(201).extract().path("stack.id");
        cloud.clearRequests();

        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());

        awaitPlan(planId, "COMPLETE");
        plan(planId).body("heat_stack_id", equalTo(stackId));
        assertEquals(0, cloud.heatLaunchCalls(planId), "recovery must not POST the stack again");
    }

    @Test
    void planClaimedButNeverSentToHeatIsLaunchedOnceByRecovery() throws Throwable {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        String stackId = plan(planId).extract().path("heat_stack_id");
        orphan(planId, lease.reservationId());
        cloud.clearRequests();

        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());
        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());

        awaitPlan(planId, "COMPLETE");
        assertEquals(1, cloud.heatLaunchCalls(stackId));
    }

    @Test
    void stackEventsReachKafkaThroughTheOutboxAndConformToTheSchema() {
        Cloud.Lease lease = cloud.lease(demo);
        String planId = initialize("dormant", lease);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            ConsumerTask<String, String> events = kafka.consumeStrings()
                    .fromTopics(Topics.STACK_EVENTS + topicSuffix);
            cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
            awaitPlan(planId, "COMPLETE");
            List<ConsumerRecord<String, String>> mine = new ArrayList<>();
            await().atMost(SETTLE).until(() -> {
                mine.clear();
                events.getRecords().stream().filter(r -> planId.equals(r.key())).forEach(mine::add);
                return mine.size() >= 3;
            });
            events.stop();
            assertEquals(List.of(StackEventType.LAUNCH_REQUESTED.cloudEventType(),
                    StackEventType.LAUNCHED.cloudEventType(), StackEventType.COMPLETED.cloudEventType()),
                    mine.stream().map(r -> header(r, "ce_type")).toList());
            for (ConsumerRecord<String, String> record : mine) {
                JsonNode data = parse(record.value());
                assertEquals(List.of(), ContractSchemas.STACK_EVENT.violations(data), record.value());
                assertEquals("1.0", header(record, "ce_specversion"));
                assertEquals("/leaseflow/stack-launcher", header(record, "ce_source"));
                assertFalse(record.value().contains(demo.token()), "no token in events");
            }
            assertEquals(lease.reservationId(), parse(mine.get(2).value()).get("reservationId").asText());
            assertEquals("COMPLETE", parse(mine.get(2).value()).get("status").asText());
        }
    }

    @Test
    void fiftyLaunchesGiveTheEventToHeatLatency() {
        int n = 50;
        List<String> plans = new ArrayList<>();
        List<Cloud.Lease> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Cloud.Lease lease = cloud.lease(demo);
            leases.add(lease);
            plans.add(initialize("dormant", lease));
        }
        java.util.TreeMap<Double, Double> before = buckets(metrics());
        // One at a time (the steady state), then all at once (a burst queues behind itself per partition).
        for (Cloud.Lease lease : leases.subList(0, n / 2)) {
            cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
            String id = plans.get(leases.indexOf(lease));
            await().atMost(SETTLE).until(() -> !"INIT_COMPLETE".equals(plan(id).extract().path("stack_status")));
        }
        java.util.TreeMap<Double, Double> steady = buckets(metrics());
        leases.subList(n / 2, n).forEach(lease -> cloud.leaseEvent(LeaseEventType.STARTED, demo, lease));
        await().atMost(Duration.ofMinutes(3)).until(() -> plans.stream().allMatch(id ->
                "COMPLETE".equals(plan(id).extract().path("stack_status"))));
        String metrics = metrics();
        java.util.TreeMap<Double, Double> burst = buckets(metrics);
        System.out.printf("LATENCY event->Heat accepted, %d sequential launches: p50 <= %.0f ms, p99 <= %.0f ms%n",
                n / 2, quantile(before, steady, 0.5) * 1000, quantile(before, steady, 0.99) * 1000);
        System.out.printf("LATENCY event->Heat accepted, burst of %d: p50 <= %.0f ms, p99 <= %.0f ms%n",
                n / 2, quantile(steady, burst, 0.5) * 1000, quantile(steady, burst, 0.99) * 1000);
        assertTrue(metrics.contains("leaseflow_launcher_launch_latency_seconds{mode=\"dormant\",quantile=\"0.99\""),
                "latency summary");
        assertTrue(metrics.contains("leaseflow_launcher_heat_requests_total{"), "heat request counter");
        assertTrue(metrics.contains("leaseflow_launcher_launches_total{"), "launch counter");
        assertTrue(metrics.contains("leaseflow_launcher_plans{"), "plans gauge");
    }

    private static String metrics() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Cumulative counts of the dormant latency histogram, by upper bound (seconds). */
    private static java.util.TreeMap<Double, Double> buckets(String metrics) {
        java.util.TreeMap<Double, Double> counts = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^leaseflow_launcher_launch_latency_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*mode=\"dormant\"[^}]*}"
                        + " ([0-9.eE+]+)$|(?m)^leaseflow_launcher_launch_latency_seconds_bucket\\{[^}]*mode=\"dormant\"[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        while (m.find()) {
            String le = m.group(1) != null ? m.group(1) : m.group(3);
            String count = m.group(1) != null ? m.group(2) : m.group(4);
            counts.put("+Inf".equals(le) ? Double.MAX_VALUE : Double.parseDouble(le), Double.parseDouble(count));
        }
        return counts;
    }

    /** The upper bound of the bucket holding quantile q of the observations made between two snapshots. */
    private static double quantile(java.util.TreeMap<Double, Double> from, java.util.TreeMap<Double, Double> to, double q) {
        double total = to.lastEntry().getValue() - from.getOrDefault(to.lastKey(), 0.0);
        for (var bucket : to.entrySet()) {
            double seen = bucket.getValue() - from.getOrDefault(bucket.getKey(), 0.0);
            if (seen >= Math.ceil(q * total)) {
                return bucket.getKey();
            }
        }
        return Double.NaN;
    }

    /** The plan as a process that died after claiming it leaves it: LAUNCHING, reservation chosen, long ago. */
    private void orphan(String planId, String reservationId) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement update = db.prepareStatement("UPDATE launch_plan SET status = 'LAUNCHING', "
                        + "reservation_id = ?, launch_deadline = now() + interval '1 hour', "
                        + "updated_at = now() - interval '10 minutes' WHERE id = ? AND status = 'INIT_COMPLETE'")) {
            update.setString(1, reservationId);
            update.setString(2, planId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
