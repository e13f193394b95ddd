package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Chameleon's notifications carry five keys and no reservation: lease-watcher asks Blazar (the simulator, over
 * HTTP, with a Keystone service token) for the rest. The simulator publishes to the real AMQP broker.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class ChameleonPayloadTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    /**
     * Blazar's lease.create is published the moment the lease exists; until the AMQP channel has declared and bound
     * its queue (readiness says so) the broker drops it, as it would for any queue not yet bound.
     */
    @BeforeEach
    void awaitQueueBound() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void shortPayloadIsEnrichedWithTheReservationFromBlazar() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("chameleon-shape", Instant.now());

            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            JsonNode started = LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED).get(0));
            assertEquals(List.of(), ContractSchemas.LEASE_EVENT.violations(started));
            assertEquals(lease.reservationId(), started.at("/reservations/0/id").asText());
            assertEquals("physical:host", started.at("/reservations/0/resourceType").asText());
            assertEquals("ACTIVE", started.path("status").asText());
            assertEquals("NOTIFICATION", started.path("observedVia").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> records.of(lease.id(), LeaseEventType.CREATED).size() == 1);
        }
    }

    @Test
    void blazarOutageDefersTheNotificationInsteadOfDroppingIt() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("outage", Instant.now().plusSeconds(3));
            await().atMost(Duration.ofSeconds(20)).until(() -> records.of(lease.id(), LeaseEventType.CREATED).size() == 1);
            double deferredBefore = WatcherMetrics.total("leaseflow_watcher_deferred_total", "event_type=\"lease.event.start_lease\"");
            // Enough failures for the first attempt and its bounded retries, and the first deferred retry.
            cloud.fail("blazar", "GET", 503, 8);

            await().atMost(Duration.ofSeconds(60)).until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            JsonNode started = LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED).get(0));
            assertEquals(lease.reservationId(), started.at("/reservations/0/id").asText());
            assertEquals(deferredBefore + 1, WatcherMetrics.total("leaseflow_watcher_deferred_total", "event_type=\"lease.event.start_lease\""),
                    "the start must have gone through the deferred path");
        }
    }
}
