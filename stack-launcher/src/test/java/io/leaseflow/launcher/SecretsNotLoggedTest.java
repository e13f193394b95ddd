package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.logs.LogCapture;
import io.leaseflow.testing.openstack.SimCloud;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Users' tokens, trust ids, hosts-exchange join tokens, the service user's password and the database password never
 * reach the log (DEBUG included) while plans are initialized, launched through a trust (one with a hosts-exchange
 * group, deleted at lease end), failed, cancelled and refused.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
@TestProfile(FakeHostsExchange.Profile.class)
class SecretsNotLoggedTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;

    @Test
    void noSecretValueAppearsInTheLog() {
        Cloud cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        List<String> secrets = new ArrayList<>(List.of("leaseflow-secret", "secret"));
        var config = ConfigProvider.getConfig();
        config.getOptionalValue("leaseflow.openstack.password", String.class).ifPresent(secrets::add);
        // The test database's password is the project's name ("leaseflow"), which log lines say in prose.
        config.getOptionalValue("quarkus.datasource.password", String.class).filter(p -> !p.equals("leaseflow"))
                .ifPresent(secrets::add);
        try (LogCapture log = new LogCapture("io.leaseflow")) {
            Cloud.User demo = cloud.user("demo");
            secrets.add(demo.token());
            Cloud.Lease lease = cloud.lease(demo);
            String launched = initialize(demo, "dormant", lease);
            // A plan with a hosts-exchange group: its join token is a secret too.
            String grouped = given().contentType("application/json").header("X-Auth-Token", demo.token())
                    .body(InitializedStacksTest.body("dormant", lease, ExchangeGroupLaunchTest.TEMPLATE))
                    .post("/v1/stacks").then().statusCode(201).extract().path("id");
            String held = initialize(demo, "held", cloud.lease(demo));
            cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                    .get("/v1/stacks/" + launched).then().body("stack_status", equalTo("COMPLETE")));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                    .get("/v1/stacks/" + grouped).then().body("stack_status", equalTo("COMPLETE")));
            String groupId = given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + grouped).then()
                    .extract().path("exchange_group_id");
            secrets.add(FakeHostsExchange.INSTANCE.group(groupId).token());
            cloud.leaseEvent(LeaseEventType.ENDED, demo, lease);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> FakeHostsExchange.INSTANCE.deletions(groupId).size() == 1);
            given().header("X-Auth-Token", demo.token()).delete("/v1/stacks/" + held).then().statusCode(200);

            // A launch Heat refuses, so that error paths log too.
            Cloud.Lease failing = cloud.lease(demo);
            String failed = initialize(demo, "dormant", failing);
            cloud.fault("heat", "PATCH", 400, 1);
            cloud.leaseEvent(LeaseEventType.STARTED, demo, failing);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Auth-Token", demo.token())
                    .get("/v1/stacks/" + failed).then().body("stack_status", equalTo("FAILED")));
            cloud.clearFaults();

            Cloud.User rival = cloud.user("rival");
            secrets.add(rival.token());
            given().header("X-Auth-Token", rival.token()).get("/v1/stacks/" + launched).then().statusCode(404);
            given().header("X-Auth-Token", "gAAAAAforged-token-0123456789").get("/v1/stacks").then().statusCode(401);
            secrets.add("gAAAAAforged-token-0123456789");
            String expired = cloud.user("demo").token();
            new SimCloud(simUrl).expireToken(expired);
            secrets.add(expired);
            given().header("X-Auth-Token", expired).get("/v1/stacks").then().statusCode(401);

            List<String> trusts = java.util.stream.Stream.of("heat", "keystone", "reservation")
                    .flatMap(service -> cloud.requests(service, null).stream()).map(r -> r.get("trust_id"))
                    .filter(Objects::nonNull).map(String::valueOf).distinct().toList();
            assertFalse(trusts.isEmpty(), "no call went through a trust: nothing to look for");
            secrets.addAll(trusts);

            assertTrue(log.text().contains(launched), "the plan's lines were not captured");
            assertEquals(List.of(), log.leaks(secrets));
        }
    }

    private static String initialize(Cloud.User user, String mode, Cloud.Lease lease) {
        Map<String, Object> body = InitializedStacksTest.body(mode, lease, Cloud.TEMPLATE);
        return given().contentType("application/json").header("X-Auth-Token", user.token()).body(body)
                .post("/v1/stacks").then().statusCode(201).extract().path("id");
    }
}
