package io.leaseflow.watcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the AMQP path cut (our queue bound to a key Blazar never uses), the poll alone reports the start. */
@QuarkusTest
@TestProfile(ReconcilerAloneTest.NotificationsCut.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class ReconcilerAloneTest {
    public static class NotificationsCut implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.reconcile.interval", "2s", "leaseflow.reconcile.initial-delay", "0s",
                    "mp.messaging.incoming.blazar-notifications.routing-keys", "nothing.reaches.us");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void reconcilerAloneEmitsTheStartWithinOneInterval() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("no-notifications", Instant.now());
            // The simulator's clock ticks every 200 ms; then one 2 s interval, plus slack for a loaded machine.
            await().atMost(Duration.ofSeconds(8)).until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);
            JsonNode started = LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED).get(0));
            assertEquals("POLL", started.path("observedVia").asText());
            assertEquals(lease.reservationId(), started.at("/reservations/0/id").asText());
            assertEquals(0, records.of(lease.id(), LeaseEventType.CREATED).size(), "the AMQP path was cut");
        }
    }
}
