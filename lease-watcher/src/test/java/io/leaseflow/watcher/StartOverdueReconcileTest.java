package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.LeaseStartOverdue;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * lease-watcher's half of the watchdog (issue 15): on stack-launcher's {@code io.leaseflow.lease.start-overdue} it
 * asks Blazar about that one lease at once and publishes a start no notification reported, through the usual dedup.
 * The periodic reconciler is off here ({@code %test}), and the simulator drops the lease's notifications.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class StartOverdueReconcileTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void startOverduePublishesTheMissedStartOnceHoweverOftenItComes() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("overdue-" + UUID.randomUUID(), Instant.now().plusSeconds(3));
            cloud.dropNotifications(lease.id());
            await().atMost(Duration.ofSeconds(30)).until(() -> "ACTIVE".equals(status(cloud, lease.id())));
            assertEquals(0, records.of(lease.id(), LeaseEventType.STARTED).size(), "the notification was dropped");
            double published = WatcherMetrics.total("leaseflow_watcher_overdue_reconciles_total",
                    "outcome=\"published\"");
            double again = WatcherMetrics.total("leaseflow_watcher_overdue_reconciles_total",
                    "outcome=\"already_published\"");
            double found = WatcherMetrics.total("leaseflow_reconciler_findings_total", "type=\"started\"");

            startOverdue(lease.id());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            var start = LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED).get(0));
            assertEquals("POLL", start.path("observedVia").asText());
            assertEquals(lease.reservationId(), start.at("/reservations/0/id").asText());
            assertEquals(published + 1, WatcherMetrics.total("leaseflow_watcher_overdue_reconciles_total",
                    "outcome=\"published\""));
            assertEquals(found + 1, WatcherMetrics.total("leaseflow_reconciler_findings_total", "type=\"started\""),
                    "a start the notifications missed counts as a reconciler finding");

            startOverdue(lease.id());
            startOverdue(lease.id());
            await().atMost(Duration.ofSeconds(20)).until(() -> WatcherMetrics.total(
                    "leaseflow_watcher_overdue_reconciles_total", "outcome=\"already_published\"") >= again + 2);
            assertEquals(1, records.of(lease.id(), LeaseEventType.STARTED).size(), "never a second start");
        }
    }

    @Test
    void startOverdueOfALeaseBlazarHasNotStartedPublishesNothing() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("not-yet-" + UUID.randomUUID(), Instant.now().plusSeconds(3600));
            double notDue = WatcherMetrics.total("leaseflow_watcher_overdue_reconciles_total", "outcome=\"not_due\"");
            startOverdue(lease.id());
            await().atMost(Duration.ofSeconds(20)).until(() -> WatcherMetrics.total(
                    "leaseflow_watcher_overdue_reconciles_total", "outcome=\"not_due\"") == notDue + 1);
            assertEquals(0, records.of(lease.id(), LeaseEventType.STARTED).size());
        }
    }

    @Test
    void listenerHealthMetricsAreExportedFromStartUp() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("leaseflow_watcher_seconds_since_last_notification",
                "leaseflow_reconciler_last_findings",
                "leaseflow_reconciler_findings_total{type=\"started\"}", "leaseflow_reconciler_runs_total{outcome=\"failed\"}",
                "leaseflow_dead_lettered_total{topic=\"leaseflow.blazar-notifications.dlq\"}")) {
            assertTrue(metrics.contains("\n" + name + " ") || metrics.contains("\n" + name + "{"),
                    name + " missing from /q/metrics");
        }
        assertTrue(!metrics.contains("leaseflow_reconciler_last_success_timestamp_seconds"),
                "the reconciler is off here: no last-success to grow old");
    }

    private static String status(SimCloud cloud, String leaseId) {
        return given().baseUri(cloud.baseUrl()).header("X-Auth-Token", cloud.token("demo", "secret", "demo"))
                .get("/reservation/v1/leases/" + leaseId).then().statusCode(200).extract().path("lease.status");
    }

    /** What stack-launcher's watchdog sends. */
    private void startOverdue(String leaseId) {
        LeaseStartOverdue overdue = new LeaseStartOverdue(leaseId, "demo", Instant.now().minusSeconds(90), null,
                List.of(UUID.randomUUID().toString()), 90, Instant.now());
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            var headers = new RecordHeaders()
                    .add("ce_specversion", bytes("1.0"))
                    .add("ce_id", bytes(LeaseStartOverdue.cloudEventId(leaseId)))
                    .add("ce_type", bytes(LeaseStartOverdue.TYPE))
                    .add("ce_source", bytes("/leaseflow/stack-launcher"))
                    .add("content-type", bytes("application/json"));
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.LEASE_EVENTS + topicSuffix, null, leaseId,
                    EventJson.mapper().writeValueAsString(overdue), headers)).awaitCompletion();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
