package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

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
import io.quarkus.test.junit.TestProfile;

/**
 * Beyond NotificationWebhookTest's cases (none, a wrong shared secret, a token without the role): an expired
 * service token, another project's token, a forged token and other auth schemes are all 401 problems, and
 * nothing they carried reaches Kafka.
 */
@QuarkusTest
@TestProfile(NotificationWebhookTest.WithSecret.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
@WithTestResource(OpenStackSimResource.class)
class WebhookAccessControlTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;

    @Test
    void refusedCredentialsPublishNothing() throws Exception {
        SimCloud cloud = new SimCloud(OpenStackSimResource.simulator().baseUrl());
        String leaseId = UUID.randomUUID().toString();
        String body = BlazarNotificationFlowTest.sample("samples/blazar/wire/upstream-003-lease.delete.body")
                .replace(BlazarNotificationFlowTest.LEASE_ID, leaseId);
        String expired = cloud.token("leaseflow", "leaseflow-secret", "service");
        cloud.expireToken(expired);
        String rival = cloud.token("rival", "secret", "rival");

        for (String token : List.of(expired, rival, "gAAAAAforged")) {
            given().header("X-Auth-Token", token).contentType("application/json").body(body)
                    .post("/v1/notifications").then().statusCode(401)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://leaseflow.io/problems/authentication-failed"));
        }
        for (String authorization : List.of("Basic bGVhc2VmbG93OnNlY3JldA==", "Bearer", "Bearer ",
                NotificationWebhookTest.SECRET, "Bearer " + NotificationWebhookTest.SECRET + "x")) {
            given().header("Authorization", authorization).contentType("application/json").body(body)
                    .post("/v1/notifications").then().statusCode(401)
                    .contentType(startsWith("application/problem+json"));
        }

        // The same body with the secret is published: the refusals above were about credentials only.
        try (LeaseEventRecords records = new LeaseEventRecords(bootstrap, topicSuffix)) {
            given().header("Authorization", "Bearer " + NotificationWebhookTest.SECRET).contentType("application/json")
                    .body(body).post("/v1/notifications").then().statusCode(202)
                    .body("outcome", equalTo("published"));
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(leaseId, LeaseEventType.DELETED).size() == 1);
        }
    }
}
