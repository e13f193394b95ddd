package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.LeaseStartOverdue;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The watchdog for expected events, stack-launcher's half (issue 15): real Kafka, PostgreSQL and the simulator's
 * Blazar. Grace 1 s, a pass every 1 s ({@code %test} profile); no lease-watcher runs, so no start ever arrives
 * unless the test sends it.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events,leaseflow.lease-events.dlq"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class LaunchWatchdogTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;
    @Inject
    Pool database;
    Cloud cloud;
    Cloud.User demo;

    @BeforeEach
    void setUp() {
        cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
    }

    @Test
    void leaseWithoutStartRaisesStartOverdueOnceAndLaunchesWhenTheStartComes() throws Exception {
        Instant start = Instant.now().plusSeconds(2);
        Cloud.Lease lease = cloud.lease(demo, start);
        String planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(InitializedStacksTest.body("dormant", lease, Cloud.TEMPLATE)).post("/v1/stacks")
                .then().statusCode(201).extract().path("id");

        try (KafkaConsumer<String, String> events = consumer()) {
            List<ConsumerRecord<String, String>> overdue = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                overdue.addAll(startOverdue(events, lease.id()));
                return !overdue.isEmpty();
            });
            Instant raised = Instant.now();
            assertTrue(raised.isBefore(start.plusSeconds(1 + 8)), "raised within the grace, not at " + raised);
            assertEquals(1.0, gauge("leaseflow_lease_start_overdue"));

            ConsumerRecord<String, String> record = overdue.get(0);
            assertEquals(lease.id(), record.key());
            assertEquals(LeaseStartOverdue.cloudEventId(lease.id()), header(record, "ce_id"));
            assertEquals("/leaseflow/stack-launcher", header(record, "ce_source"));
            JsonNode data = EventJson.mapper().readTree(record.value());
            assertEquals(List.of(), ContractSchemas.LEASE_START_OVERDUE.violations(data));
            assertEquals(planId, data.path("planIds").get(0).asText());
            assertEquals(start.getEpochSecond(), Instant.parse(data.path("startDate").asText()).getEpochSecond());

            // many passes later: still overdue, but published once per lease
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> gauge("leaseflow_lease_start_overdue") == 1.0);
            overdue.addAll(startOverdue(events, lease.id()));
            assertEquals(1, overdue.size(), "start-overdue is published once per lease");
        }
        // stack-launcher read its own alarm on leaseflow.lease-events and left it alone
        assertEquals(0.0, gauge("leaseflow_dead_lettered_total"));
        given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + planId).then()
                .body("stack_status", equalTo("INIT_COMPLETE"));

        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                .get("/v1/stacks/" + planId).then().body("stack_status", equalTo("COMPLETE")));
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("leaseflow_lease_start_overdue") == 0.0);
    }

    @Test
    void planInProgressPastItsBoundIsCountedAsStuck() {
        String planId = UUID.randomUUID().toString();
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        // as a plan looks whose Heat update never ends and that has no deadline (no trust left to ask Heat either)
        database.preparedQuery("INSERT INTO launch_plan (id, lease_id, project_id, user_id, heat_stack_id, stack_name,"
                + " reservation_parameter, mode, status, reservation_id, created_at, updated_at)"
                + " VALUES ($1, $2, 'p', 'u', $3, 'stuck', 'reservation_id', 'DORMANT', 'IN_PROGRESS', 'r', $4, $4)")
                .execute(Tuple.of(planId, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        twoHoursAgo.atOffset(java.time.ZoneOffset.UTC)))
                .await().indefinitely();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gauge("leaseflow_launcher_plans_stuck{state=\"IN_PROGRESS\"}") == 1.0);
            assertEquals(0.0, gauge("leaseflow_launcher_plans_stuck{state=\"LAUNCHING\"}"));
        } finally {
            database.preparedQuery("UPDATE launch_plan SET status = 'FAILED' WHERE id = $1")
                    .execute(Tuple.of(planId)).await().indefinitely();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gauge("leaseflow_launcher_plans_stuck{state=\"IN_PROGRESS\"}") == 0.0);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "watchdog-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(Topics.LEASE_EVENTS + topicSuffix));
        return consumer;
    }

    private static List<ConsumerRecord<String, String>> startOverdue(KafkaConsumer<String, String> consumer,
            String leaseId) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            if (leaseId.equals(r.key()) && LeaseStartOverdue.TYPE.equals(header(r, "ce_type"))) {
                found.add(r);
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Sum of the series {@code name} or {@code name{label="value"}} (then only those carrying that label). */
    static double gauge(String series) {
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        String label = brace < 0 ? "" : series.substring(brace + 1, series.length() - 1);
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text")).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
