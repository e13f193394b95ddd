package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Notification published to AMQP until its event is on Kafka, for 300 distinct leases: every one arrives exactly
 * once; the latencies are printed (a measurement, not a pass/fail threshold). Also checks readiness.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
class NotificationLatencyBenchmarkTest {
    static final int LEASES = 300;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void everyOneOfManyStartsArrivesOnceAndLatencyIsReported() throws Exception {
        String template = BlazarNotificationFlowTest.sample(BlazarNotificationFlowTest.UPSTREAM_START);
        Map<String, Long> sentAt = new HashMap<>();
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix);
                Connection amqp = SharedInfra.amqp().connectionFactory().newConnection();
                Channel channel = amqp.createChannel()) {
            for (int i = 0; i < LEASES; i++) {
                String leaseId = UUID.randomUUID().toString();
                byte[] body = template.replace(BlazarNotificationFlowTest.LEASE_ID, leaseId)
                        .getBytes(StandardCharsets.UTF_8);
                sentAt.put(leaseId, System.currentTimeMillis());
                channel.basicPublish("openstack", "notifications.info", new AMQP.BasicProperties.Builder()
                        .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).build(), body);
                Thread.sleep(2); // about 500 notifications/s, Blazar's notifier's own pace is ~2,000/s
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> sentAt.keySet().stream()
                    .allMatch(id -> records.of(id, LeaseEventType.STARTED).size() == 1));
            long[] latencies = sentAt.entrySet().stream()
                    .mapToLong(e -> records.of(e.getKey(), LeaseEventType.STARTED).get(0).timestamp() - e.getValue())
                    .sorted().toArray();
            System.out.printf("notification -> Kafka (record timestamp), %d leases: p50 %d ms, p99 %d ms, max %d ms%n",
                    latencies.length, latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)],
                    latencies[latencies.length - 1]);
            assertEquals(LEASES, Arrays.stream(latencies).count());
        }
    }

    @Test
    void readinessCoversBrokersAndDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }
}
