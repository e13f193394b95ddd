package io.leaseflow.sim.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications reach a real AMQP 0-9-1 broker with oslo's exchange, routing key, properties and envelope. */
@QuarkusTest
@TestProfile(NotificationPublisherBrokerTest.WithBroker.class)
@QuarkusTestResource(value = AmqpBrokerResource.class, restrictToAnnotatedClass = true)
class NotificationPublisherBrokerTest {

    public static class WithBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sim.amqp.enabled", "true");
        }
    }

    @Test
    void startLeaseNotificationArrivesOnOwnQueueBoundToOpenstackNotificationsInfo() throws Exception {
        try (Connection connection = SharedInfra.amqp().connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            // Same durability as oslo's default, or the declare would fail with 406.
            channel.exchangeDeclare("openstack", "topic", false);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "openstack", "notifications.info");

            TestTokens.Scoped demo = TestTokens.demo();
            String leaseId = given().contentType("application/json").header("X-Auth-Token", demo.id())
                    .body(Map.of("name", "amqp-" + System.nanoTime(), "start_date", "now", "end_date", "2099-01-01 00:00",
                            "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1))))
                    .post("/reservation/v1/leases").then().statusCode(201).extract().path("lease.id");

            AtomicReference<GetResponse> start = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                GetResponse r = channel.basicGet(queue, true);
                if (r != null && new String(r.getBody(), StandardCharsets.UTF_8).contains("lease.event.start_lease")
                        && new String(r.getBody(), StandardCharsets.UTF_8).contains(leaseId)) {
                    start.set(r);
                }
                return start.get() != null;
            });

            GetResponse message = start.get();
            assertEquals("openstack", message.getEnvelope().getExchange());
            assertEquals("notifications.info", message.getEnvelope().getRoutingKey());
            assertEquals("application/json", message.getProps().getContentType());
            assertEquals("utf-8", message.getProps().getContentEncoding());
            assertEquals(2, message.getProps().getDeliveryMode());
            assertEquals(0, message.getProps().getPriority());
            assertTrue(message.getProps().getHeaders() == null || message.getProps().getHeaders().isEmpty());
            JsonNode envelope = Samples.parse(new String(message.getBody(), StandardCharsets.UTF_8));
            assertEquals("2.0", envelope.get("oslo.version").asText());
            JsonNode inner = Samples.parse(envelope.get("oslo.message").asText());
            assertEquals("lease.event.start_lease", inner.get("event_type").asText());
            assertEquals("INFO", inner.get("priority").asText());
            assertEquals(leaseId, inner.at("/payload/lease_id").asText());
        }
    }
}
