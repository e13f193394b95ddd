package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.logs.LogCapture;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The webhook's shared secret, presented Keystone tokens (valid, role-less, expired, forged), the service user's
 * password, the brokers' and database's passwords and leases' trust ids never reach the log (DEBUG included),
 * while notifications arrive over AMQP and HTTP, are enriched from Blazar, published, refused and dead-lettered.
 */
@QuarkusTest
@TestProfile(NotificationWebhookTest.WithSecret.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class SecretsNotLoggedTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void noSecretValueAppearsInTheLog() throws Exception {
        var config = ConfigProvider.getConfig();
        List<String> secrets = new ArrayList<>(List.of(NotificationWebhookTest.SECRET, "leaseflow-secret", "secret"));
        for (String key : List.of("leaseflow.openstack.password", "quarkus.datasource.password", "rabbitmq-password")) {
            // The test database's password is the project's name ("leaseflow"), which log lines say in prose.
            config.getOptionalValue(key, String.class).filter(p -> !p.equals("leaseflow")).ifPresent(secrets::add);
        }
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        try (LogCapture log = new LogCapture("io.leaseflow"); LeaseEventRecords records =
                new LeaseEventRecords(bootstrap, topicSuffix)) {
            // AMQP: a lease the simulator starts now publishes its notifications; Chameleon's short payload or
            // upstream's, lease-watcher asks Blazar for the rest (trust id included) with the service user.
            SimCloud.Lease lease = cloud.createLease("secrets", Instant.now().plusSeconds(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> !records.of(lease.id(), LeaseEventType.STARTED).isEmpty());
            String trustId = LeaseEventRecords.data(records.of(lease.id(), LeaseEventType.STARTED).get(0))
                    .path("trustId").asText("");
            secrets.add(trustId);

            // Webhook: the shared secret, a wrong one, Keystone tokens with and without the role, expired, forged.
            // Chameleon's short payload of a lease Blazar does not know: looked up, then dead-lettered (422).
            String body = BlazarNotificationFlowTest.sample("samples/blazar/wire/chameleon-004-lease.event.start_lease.body")
                    .replace(BlazarNotificationFlowTest.LEASE_ID, UUID.randomUUID().toString());
            secrets.add("b442a580b9504ababf305bf2b4c49512"); // the sample's trust id
            given().header("Authorization", "Bearer " + NotificationWebhookTest.SECRET).contentType("application/json")
                    .body(body).post("/v1/notifications").then().statusCode(422);
            given().header("Authorization", "Bearer wrong-shared-secret-0123").contentType("application/json")
                    .body(body).post("/v1/notifications").then().statusCode(401);
            secrets.add("wrong-shared-secret-0123");
            String service = cloud.token("leaseflow", "leaseflow-secret", "service");
            String demo = cloud.token("demo", "secret", "demo");
            String expired = cloud.token("leaseflow", "leaseflow-secret", "service");
            cloud.expireToken(expired);
            secrets.addAll(List.of(service, demo, expired, "gAAAAAforged-0123456789"));
            given().header("X-Auth-Token", service).contentType("application/json").body("{}")
                    .post("/v1/notifications").then().statusCode(400);
            for (String refused : List.of(demo, expired, "gAAAAAforged-0123456789")) {
                given().header("X-Auth-Token", refused).contentType("application/json").body(body)
                        .post("/v1/notifications").then().statusCode(401);
            }

            assertTrue(log.text().contains(lease.id()) || log.size() > 0, "nothing was captured");
            assertEquals(List.of(), log.leaks(secrets));
        }
    }
}
