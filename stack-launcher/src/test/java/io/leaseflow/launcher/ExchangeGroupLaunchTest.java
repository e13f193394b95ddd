package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.launcher.recovery.LaunchRecovery;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;

/**
 * Templates that declare {@code exchange_url} and {@code exchange_token} get a hosts-exchange group at launch: one
 * group per plan whatever the redeliveries, retries and recoveries, its URL and join token in the same Heat request
 * as the reservation id, no Heat call without it, deleted at lease end. hosts-exchange is {@link FakeHostsExchange}.
 */
@QuarkusTest
@TestProfile(FakeHostsExchange.Profile.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class ExchangeGroupLaunchTest {
    static final Duration SETTLE = Duration.ofSeconds(60);
    static final String TEMPLATE = """
            heat_template_version: 2018-08-31
            parameters:
              reservation_id: {type: string, default: ""}
              exchange_url: {type: string, default: ""}
              exchange_token: {type: string, default: "", hidden: true}
              exchange_size: {type: number, default: 3}
            resources:
              marker:
                type: OS::Heat::Value
                properties: {type: string, value: {get_param: exchange_url}}
            """;
    static final String TEMPLATE_WITHOUT_SIZE = """
            heat_template_version: 2018-08-31
            parameters:
              reservation_id: {type: string, default: ""}
              exchange_url: {type: string, default: ""}
              exchange_token: {type: string, default: ""}
            resources:
              noop:
                type: OS::Heat::None
            """;
    static final FakeHostsExchange EXCHANGE = FakeHostsExchange.INSTANCE;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;
    @Inject
    LaunchRecovery recovery;
    Cloud cloud;
    Cloud.User demo;

    @BeforeEach
    void setUp() {
        cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
    }

    @AfterEach
    void back() {
        cloud.clearFaults();
        EXCHANGE.refuseWith(0);
        EXCHANGE.loseAnswers(0);
    }

    @Test
    void dormantLaunchCreatesOneGroupAndPatchesReservationUrlAndTokenInOneRequest() throws Exception {
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        plan(planId).body("exchange_group_id", nullValue());
        String stackId = plan(planId).extract().path("heat_stack_id");
        assertEquals(List.of(), EXCHANGE.creations(name), "no group before the lease starts");

        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");

        List<FakeHostsExchange.Received> created = EXCHANGE.creations(name);
        assertEquals(1, created.size(), "one group, though the start came twice: " + created);
        var definition = created.get(0).body();
        assertEquals(3, definition.path("size").asInt(), "the template's exchange_size default");
        assertEquals("[\"hosts\"]", definition.path("outputs").toString());
        assertEquals(1800, definition.path("timeout_s").asInt());
        assertEquals("partial", definition.path("on_timeout").asText());
        assertEquals(lease.id(), definition.path("lease_id").asText());

        String groupId = plan(planId).extract().path("exchange_group_id");
        FakeHostsExchange.Group group = EXCHANGE.group(groupId);
        List<Map<String, Object>> patches = patchesOf(stackId);
        assertEquals(1, patches.size(), patches.toString());
        Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) patches.get(0).get("body")).get("parameters");
        assertEquals(Map.of("reservation_id", lease.reservationId(),
                "exchange_url", EXCHANGE.url() + "/v1/groups/" + groupId,
                "exchange_token", group.token()), parameters);
        cloud.stack(stackId).then().body("stack.parameters.exchange_url",
                equalTo(EXCHANGE.url() + "/v1/groups/" + groupId));

        assertFalse(given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + planId).asString()
                .contains(group.token()), "the plan's view and history never show the join token");
        assertFalse(given().header("X-Auth-Token", demo.token()).get("/v1/leases/" + lease.id() + "/timeline")
                .asString().contains(group.token()), "nor does the timeline");

        assertEquals(group.token(), storedToken(planId), "kept until the lease ends");
        cloud.leaseEvent(LeaseEventType.ENDED, demo, lease);
        cloud.leaseEvent(LeaseEventType.ENDED, demo, lease);
        await().atMost(SETTLE).until(() -> storedToken(planId) == null);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> EXCHANGE.deletions(groupId).size() == 1);
        FakeHostsExchange.Received deletion = EXCHANGE.deletions(groupId).get(0);
        assertEquals("Bearer " + group.token(), deletion.authorization());
        assertEquals(204, deletion.status());
        plan(planId).body("exchange_group_id", equalTo(groupId));
    }

    @Test
    void heldLaunchPutsTheRequestedGroupInTheCreateBody() {
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("held", lease, TEMPLATE);
        body.put("exchange", Map.of("size", 2, "outputs", List.of("hosts", "keys"), "timeout_s", 600,
                "on_timeout", "fail"));
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");

        List<FakeHostsExchange.Received> created = EXCHANGE.creations(name);
        assertEquals(1, created.size());
        var definition = created.get(0).body();
        assertEquals(2, definition.path("size").asInt(), "the request's size wins over exchange_size");
        assertEquals("[\"hosts\",\"keys\"]", definition.path("outputs").toString());
        assertEquals(600, definition.path("timeout_s").asInt());
        assertEquals("fail", definition.path("on_timeout").asText());

        String groupId = plan(planId).extract().path("exchange_group_id");
        List<Map<String, Object>> creates = cloud.requests("heat", "POST").stream()
                .filter(r -> String.valueOf(r.get("path")).endsWith("/stacks"))
                .filter(r -> String.valueOf(r.get("body")).contains("leaseflow-plan-" + planId)).toList();
        assertEquals(1, creates.size());
        Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) creates.get(0).get("body")).get("parameters");
        assertEquals(lease.reservationId(), parameters.get("reservation_id"));
        assertEquals(EXCHANGE.url() + "/v1/groups/" + groupId, parameters.get("exchange_url"));
        assertEquals(EXCHANGE.group(groupId).token(), parameters.get("exchange_token"));
    }

    @Test
    void aRelaunchAfterAFailedHeatCallReusesTheGroup() {
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.fault("heat", "PATCH", 400, 1);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "FAILED");
        String groupId = plan(planId).extract().path("exchange_group_id");
        assertEquals(1, EXCHANGE.creations(name).size());

        given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("reservation_id", lease.reservationId())).post("/v1/stacks/" + planId + "/launch")
                .then().statusCode(202);
        awaitPlan(planId, "COMPLETE");
        assertEquals(1, EXCHANGE.creations(name).size(), "the stored group is reused");
        plan(planId).body("exchange_group_id", equalTo(groupId));
        List<Map<String, Object>> patches = patchesOf(stackId);
        assertEquals(2, patches.size());
        assertEquals(patches.get(0).get("body"), patches.get(1).get("body"), "the same group both times");
    }

    @Test
    void recoveryOfAClaimedPlanCreatesTheGroupOnceAndReusesOneAlreadyStored() throws Throwable {
        // Claimed, never sent anywhere: recovery creates the group and patches once, however often it runs.
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        String stackId = plan(planId).extract().path("heat_stack_id");
        orphan(planId, lease.reservationId(), null);
        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());
        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());
        awaitPlan(planId, "COMPLETE");
        assertEquals(1, EXCHANGE.creations(name).size());
        assertEquals(1, patchesOf(stackId).size());

        // The process died after storing the group, before Heat: recovery uses the stored one.
        Cloud.Lease other = cloud.lease(demo);
        Map<String, Object> otherBody = InitializedStacksTest.body("dormant", other, TEMPLATE);
        String otherName = (String) otherBody.get("stack_name");
        String otherPlan = initialize(otherBody);
        String otherStack = plan(otherPlan).extract().path("heat_stack_id");
        FakeHostsExchange.Group stored = EXCHANGE.createDirectly(otherName, 3);
        orphan(otherPlan, other.reservationId(), stored);
        VertxContextSupport.subscribeAndAwait(() -> recovery.reconcileAll());
        awaitPlan(otherPlan, "COMPLETE");
        assertEquals(List.of(), EXCHANGE.creations(otherName), "no second group");
        plan(otherPlan).body("exchange_group_id", equalTo(stored.id()));
        List<Map<String, Object>> patches = patchesOf(otherStack);
        assertEquals(1, patches.size());
        Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) patches.get(0).get("body")).get("parameters");
        assertEquals(stored.token(), parameters.get("exchange_token"));
    }

    @Test
    void aGroupWhoseCreationAnswerWasLostIsConfirmedNotMadeTwice() {
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        String stackId = plan(planId).extract().path("heat_stack_id");
        EXCHANGE.loseAnswers(1);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        List<FakeHostsExchange.Received> calls = EXCHANGE.creations(name);
        assertEquals(List.of(502, 200), calls.stream().map(FakeHostsExchange.Received::status).toList(),
                "made, answer lost, confirmed by the retry: " + calls);
        assertEquals(calls.get(0).path(), calls.get(1).path(), "the same chosen id both times");
        List<FakeHostsExchange.Group> made = EXCHANGE.groupsNamed(name);
        assertEquals(1, made.size(), "one group: " + made);
        plan(planId).body("exchange_group_id", equalTo(made.get(0).id()));
        Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) patchesOf(stackId).get(0).get("body")).get("parameters");
        assertEquals(made.get(0).token(), parameters.get("exchange_token"));
    }

    @Test
    void hostsExchangeUnavailableAtLaunchFailsThePlanWithoutCallingHeat() {
        Cloud.Lease lease = cloud.lease(demo);
        Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
        String name = (String) body.get("stack_name");
        String planId = initialize(body);
        String stackId = plan(planId).extract().path("heat_stack_id");
        cloud.clearRequests();
        EXCHANGE.refuseWith(503);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "FAILED");
        plan(planId).body("status_reason", containsString("hosts-exchange"))
                .body("status_reason", containsString("HTTP 503"))
                .body("exchange_group_id", nullValue());
        assertEquals(4, EXCHANGE.creations(name).size(), "retried briefly: " + EXCHANGE.creations(name));
        assertEquals(0, cloud.heatLaunchCalls(stackId), "no stack whose instances cannot meet");

        Cloud.Lease refusing = cloud.lease(demo);
        Map<String, Object> refusedBody = InitializedStacksTest.body("dormant", refusing, TEMPLATE);
        String refusedPlan = initialize(refusedBody);
        EXCHANGE.refuseWith(422);
        cloud.leaseEvent(LeaseEventType.STARTED, demo, refusing);
        awaitPlan(refusedPlan, "FAILED");
        plan(refusedPlan).body("status_reason", containsString("hosts-exchange refused"));
        assertEquals(1, EXCHANGE.creations((String) refusedBody.get("stack_name")).size(), "a refusal is final");
    }

    @Test
    void exchangeSettingsAreCheckedAtInitializeBeforeAnythingIsCreated() {
        Cloud.Lease lease = cloud.lease(demo);
        cloud.clearRequests();
        for (String mode : List.of("dormant", "held")) {
            refused(InitializedStacksTest.body(mode, lease, TEMPLATE_WITHOUT_SIZE), "exchange-size-missing")
                    .body("detail", containsString("\"exchange\": {\"size\": N}"))
                    .body("detail", containsString("exchange_size"));
            Map<String, Object> undeclared = InitializedStacksTest.body(mode, lease, Cloud.TEMPLATE);
            undeclared.put("exchange", Map.of("size", 3));
            refused(undeclared, "exchange-parameters-undeclared").body("detail", containsString("exchange_url"));
        }
        for (Map<String, Object> exchange : List.<Map<String, Object>>of(Map.of("size", 0), Map.of("size", 10_001),
                Map.of("size", 2, "on_timeout", "never"), Map.of("size", 2, "timeout_s", 0),
                Map.of("size", 2, "outputs", List.of("hosts", "hosts")), Map.of("size", 2, "outputs", List.of("a b")))) {
            Map<String, Object> body = InitializedStacksTest.body("dormant", lease, TEMPLATE);
            body.put("exchange", exchange);
            refused(body, "exchange-invalid");
        }
        Map<String, Object> notANumber = InitializedStacksTest.body("dormant", lease, TEMPLATE_WITHOUT_SIZE);
        notANumber.put("parameters", Map.of("exchange_size", "three"));
        refused(notANumber, "exchange-invalid").body("detail", containsString("exchange_size"));
        assertEquals(0, cloud.requests("heat", "POST").stream()
                .filter(r -> String.valueOf(r.get("path")).endsWith("/stacks")).count(), "no stack created");
        assertEquals(0, cloud.requests("keystone", "POST").stream()
                .filter(r -> String.valueOf(r.get("path")).endsWith("/OS-TRUST/trusts")).count(), "no trust taken");

        String bound = cloud.initializedStack(demo, "bound-" + UUID.randomUUID().toString().substring(0, 8),
                TEMPLATE_WITHOUT_SIZE);
        refused(Map.of("lease_id", lease.id(), "heat_stack_id", bound, "mode", "bound"), "exchange-size-missing");
        given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("lease_id", lease.id(), "heat_stack_id", bound, "exchange", Map.of("size", 4)))
                .post("/v1/bindings").then().statusCode(201);
    }

    @Test
    void boundStackTakesItsSizeFromTheStacksExchangeSizeParameter() {
        Cloud.Lease lease = cloud.lease(demo);
        String name = "bound-" + UUID.randomUUID().toString().substring(0, 8);
        String stackId = cloud.initializedStack(demo, name, TEMPLATE);
        String planId = given().contentType("application/json").header("X-Auth-Token", demo.token())
                .body(Map.of("lease_id", lease.id(), "heat_stack_id", stackId)).post("/v1/bindings")
                .then().statusCode(201).extract().path("id");
        cloud.leaseEvent(LeaseEventType.STARTED, demo, lease);
        awaitPlan(planId, "COMPLETE");
        assertEquals(3, EXCHANGE.creations(name).get(0).body().path("size").asInt());
        assertEquals(1, patchesOf(stackId).size());
    }

    private ValidatableResponse refused(Map<String, Object> body, String type) {
        return given().contentType("application/json").header("X-Auth-Token", demo.token()).body(body)
                .post("/v1/stacks").then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://leaseflow.io/problems/" + type));
    }

    private String initialize(Map<String, Object> body) {
        return given().contentType("application/json").header("X-Auth-Token", demo.token()).body(body)
                .post("/v1/stacks").then().statusCode(201).extract().path("id");
    }

    private ValidatableResponse plan(String id) {
        return given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + id).then().statusCode(200);
    }

    private void awaitPlan(String id, String status) {
        await().atMost(SETTLE).untilAsserted(() -> plan(id).body("stack_status", equalTo(status)));
    }

    private List<Map<String, Object>> patchesOf(String stackId) {
        return cloud.requests("heat", "PATCH").stream().filter(r -> String.valueOf(r.get("path")).endsWith(stackId))
                .toList();
    }

    /**
     * The plan as a process that died after claiming it leaves it: LAUNCHING, long ago; with {@code group}, that
     * process had also created and stored the group.
     */
    private void orphan(String planId, String reservationId, FakeHostsExchange.Group group) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement update = db.prepareStatement("UPDATE launch_plan SET status = 'LAUNCHING', "
                        + "reservation_id = ?, launch_deadline = now() + interval '1 hour', "
                        + "updated_at = now() - interval '10 minutes', exchange_group_id = ?, exchange_url = ?, "
                        + "exchange_token = ? WHERE id = ? AND status = 'INIT_COMPLETE'")) {
            update.setString(1, reservationId);
            update.setString(2, group == null ? null : group.id());
            update.setString(3, group == null ? null : EXCHANGE.url() + "/v1/groups/" + group.id());
            update.setString(4, group == null ? null : group.token());
            update.setString(5, planId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private String storedToken(String planId) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement select = db.prepareStatement(
                        "SELECT exchange_token FROM launch_plan WHERE id = ?")) {
            select.setString(1, planId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        }
    }
}
