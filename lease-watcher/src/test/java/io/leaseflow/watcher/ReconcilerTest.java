package io.leaseflow.watcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;


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

/** The notification path and the reconciling poll together publish each lease fact exactly once. */
@QuarkusTest
@TestProfile(ReconcilerTest.EverySecond.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class ReconcilerTest {
    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.reconcile.interval", "1s", "leaseflow.reconcile.initial-delay", "0s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void fiveDeliveriesAndReconcilerPassesYieldOneStartRecord() {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            SimCloud.Lease lease = cloud.createLease("five-deliveries", Instant.now());
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(lease.id(), LeaseEventType.STARTED).size() == 1);

            double duplicates = WatcherMetrics.total("leaseflow_watcher_duplicates_total", "");
            double passes = WatcherMetrics.total("leaseflow_reconciler_runs_total", "outcome=\"ok\"");
            for (int i = 0; i < 5; i++) {
                cloud.renotify(lease.id(), "lease.event.start_lease");
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    WatcherMetrics.total("leaseflow_watcher_duplicates_total", "") >= duplicates + 5
                            && WatcherMetrics.total("leaseflow_reconciler_runs_total", "outcome=\"ok\"") >= passes + 2);
            assertEquals(1, records.of(lease.id(), LeaseEventType.STARTED).size(),
                    "5 deliveries and 2 reconciler passes after the first must not publish again");
            double lastSuccess = WatcherMetrics.gauge("leaseflow_reconciler_last_success_timestamp_seconds");
            assertTrue(Instant.now().getEpochSecond() - lastSuccess < 10, "a pass succeeded just now: " + lastSuccess);
            assertEquals(0.0, WatcherMetrics.gauge("leaseflow_reconciler_last_findings"),
                    "passes after the notification find nothing new");
        }
    }
}
