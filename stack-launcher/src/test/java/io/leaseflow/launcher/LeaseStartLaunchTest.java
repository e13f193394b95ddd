package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.openstack.KeystoneRequests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Real Kafka in, real PostgreSQL for plans, the simulator's Keystone and Heat over HTTP. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class LeaseStartLaunchTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String sim;

    @Test
    void duplicateStartPatchesHeatOnceWithTheReservationId() throws Exception {
        Response auth = given().baseUri(sim).contentType("application/json")
                .body(KeystoneRequests.passwordAuth("demo", "secret", "demo"))
                .post("/identity/v3/auth/tokens");
        auth.then().statusCode(201);
        String token = auth.header("X-Subject-Token");
        String projectId = auth.jsonPath().getString("token.project.id");
        String stackName = "launch-" + UUID.randomUUID().toString().substring(0, 8);
        String stackId = given().baseUri(sim).contentType("application/json").header("X-Auth-Token", token)
                .body(Map.of("stack_name", stackName, "initialize", true, "template", Map.of(
                        "heat_template_version", "2018-08-31",
                        "parameters", Map.of("reservation_id", Map.of("type", "string", "default", "")),
                        "resources", Map.of())))
                .post("/orchestration/v1/" + projectId + "/stacks").then().statusCode(201)
                .extract().path("stack.id");

        String leaseId = UUID.randomUUID().toString();
        String reservationId = UUID.randomUUID().toString();
        String planId = given().contentType("application/json").header("X-Auth-Token", token)
                .body(Map.of("lease_id", leaseId, "heat_stack_id", stackId))
                .post("/v1/bindings").then().statusCode(201)
                .body("stack_status", equalTo("INIT_COMPLETE")).body("stack_name", equalTo(stackName))
                .extract().path("id");

        given().baseUri(sim).delete("/sim/requests");
        LeaseEvent started = new LeaseEvent(leaseId, "lease", projectId, null, null, Instant.now(),
                Instant.now().plusSeconds(3600), "ACTIVE",
                List.of(new LeaseEvent.Reservation(reservationId, "physical:host", "active", null),
                        new LeaseEvent.Reservation(UUID.randomUUID().toString(), "virtual:instance", "active", null)),
                ObservedVia.NOTIFICATION, "m-1", Instant.now());
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            for (int i = 0; i < 2; i++) {
                kafka.produceStrings().fromRecords(cloudEvent(leaseId, started)).awaitCompletion();
            }
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/v1/plans/" + planId).then()
                .body("stack_status", equalTo("COMPLETE")).body("reservation_id", equalTo(reservationId)));
        given().baseUri(sim).get("/sim/stacks/" + stackId).then()
                .body("stack.parameters.reservation_id", equalTo(reservationId));
        List<?> patches = given().baseUri(sim).queryParam("service", "heat").queryParam("method", "PATCH")
                .get("/sim/requests").then().statusCode(200).extract().as(List.class);
        assertEquals(1, patches.size(), "the duplicated start must not PATCH twice: " + patches);
    }

    @Test
    void bindingWithoutTokenIsProblem401() {
        given().contentType("application/json").body(Map.of("lease_id", "l", "heat_stack_id", "s"))
                .post("/v1/bindings").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/token-required"));
    }

    private ProducerRecord<String, String> cloudEvent(String leaseId, LeaseEvent event) throws Exception {
        var headers = new RecordHeaders()
                .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", CloudEventIds.leaseEvent(leaseId, LeaseEventType.STARTED).getBytes(StandardCharsets.UTF_8))
                .add("ce_type", LeaseEventType.STARTED.cloudEventType().getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "/leaseflow/lease-watcher".getBytes(StandardCharsets.UTF_8))
                .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.LEASE_EVENTS + topicSuffix, null, leaseId,
                EventJson.mapper().writeValueAsString(event), headers);
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
