package io.leaseflow.sim.control;

import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ControlApiTest {

    private static final String TEMPLATE = "{\"heat_template_version\": \"2018-08-31\", "
            + "\"parameters\": {\"reservation_id\": {\"type\": \"string\", \"default\": \"\"}}}";

    private static String createStack(TestTokens.Scoped demo) {
        return given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("stack_name", "ctl-" + System.nanoTime(), "template", TEMPLATE, "initialize", true))
                .post("/orchestration/v1/" + demo.projectId() + "/stacks")
                .then().statusCode(201).extract().path("stack.links[0].href");
    }

    @Test
    void requestLogRecordsHeatPatchesWithBodyAndTheTokensUserAndTrust() {
        TestTokens.Scoped demo = TestTokens.demo();
        String href = createStack(demo);
        String trustId = TestTokens.trust(demo, true);
        TestTokens.Scoped trustToken = TestTokens.trustToken(trustId);
        given().delete("/sim/requests").then().statusCode(204);

        given().contentType("application/json").header("X-Auth-Token", trustToken.id())
                .body(Map.of("parameters", Map.of("reservation_id", "r-1"))).patch(href).then().statusCode(202);

        given().queryParam("service", "heat").queryParam("method", "PATCH").get("/sim/requests").then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].body.parameters.reservation_id", equalTo("r-1"))
                .body("[0].user", equalTo("demo"))
                .body("[0].trust_id", equalTo(trustId))
                .body("[0].status", equalTo(202));
    }

    @Test
    void passwordsNeverReachTheRequestLog() {
        TestTokens.demo();
        given().queryParam("service", "keystone").get("/sim/requests").then()
                .body("body.auth.identity.password.user.password", hasItem("***"));
    }

    @Test
    void injectedFaultAnswersTheNextMatchingCallsThenStops() {
        TestTokens.Scoped demo = TestTokens.demo();
        String href = createStack(demo);
        given().contentType("application/json")
                .body(Map.of("service", "heat", "method", "PATCH", "status", 503, "count", 2))
                .post("/sim/faults").then().statusCode(201);
        for (int i = 0; i < 2; i++) {
            given().contentType("application/json").header("X-Auth-Token", demo.id())
                    .body(Map.of("parameters", Map.of("reservation_id", "x"))).patch(href)
                    .then().statusCode(503).body("code", equalTo(503)).body("error.type", equalTo("HTTPServiceUnavailable"));
        }
        given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("parameters", Map.of("reservation_id", "x"))).patch(href).then().statusCode(202);
    }

    @Test
    void stackCanBeReadWithoutTokenAndMadeToFail() {
        TestTokens.Scoped demo = TestTokens.demo();
        String href = createStack(demo);
        String id = href.substring(href.lastIndexOf('/') + 1);
        given().get("/sim/stacks/" + id).then().statusCode(200).body("stack.stack_status", equalTo("INIT_COMPLETE"));
        given().contentType("application/json").body(Map.of("reason", "boom")).post("/sim/stacks/" + id + "/fail-next-action")
                .then().statusCode(204);
        given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("parameters", Map.of("reservation_id", "x"))).patch(href).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/sim/stacks/" + id).then()
                .body("stack.stack_status", equalTo("UPDATE_FAILED")).body("stack.stack_status_reason", equalTo("boom")));
    }

    @Test
    void notifyRepublishesTheSameMessageToSimulateARedelivery() {
        TestTokens.Scoped demo = TestTokens.demo();
        Response created = given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("name", "dup-" + System.nanoTime(), "start_date", "now", "end_date", "2099-01-01 00:00",
                        "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1))))
                .post("/reservation/v1/leases");
        String leaseId = created.then().statusCode(201).extract().path("lease.id");
        await().atMost(Duration.ofSeconds(10)).until(() -> bodies(leaseId, "lease.event.start_lease").size() == 1);

        given().post("/sim/leases/" + leaseId + "/notify/lease.event.start_lease").then().statusCode(202)
                .body("resent", equalTo(true));

        List<String> bodies = bodies(leaseId, "lease.event.start_lease");
        assertEquals(2, bodies.size());
        assertEquals(bodies.get(0), bodies.get(1));
    }

    @Test
    void droppedLeaseStartsWithoutAnyNotificationWhileOtherLeasesStillNotify() {
        TestTokens.Scoped demo = TestTokens.demo();
        String start = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        String dropped = lease(demo, "lost-" + System.nanoTime(), start);
        String heard = lease(demo, "heard-" + System.nanoTime(), start);
        given().post("/sim/leases/" + dropped + "/drop-notifications").then().statusCode(204);
        given().post("/sim/leases/unknown-lease/drop-notifications").then().statusCode(404);

        await().atMost(Duration.ofSeconds(15)).until(() -> bodies(heard, "lease.event.start_lease").size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> "ACTIVE".equals(given().header("X-Auth-Token", demo.id())
                .get("/reservation/v1/leases/" + dropped).then().extract().path("lease.status")));
        assertEquals(0, bodies(dropped, "lease.event.start_lease").size(), "the dropped lease's start never went out");
    }

    private static String lease(TestTokens.Scoped user, String name, String start) {
        return given().contentType("application/json").header("X-Auth-Token", user.id())
                .body(Map.of("name", name, "start_date", start, "end_date", "2099-01-01 00:00",
                        "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1))))
                .post("/reservation/v1/leases").then().statusCode(201).extract().path("lease.id");
    }

    private static List<String> bodies(String leaseId, String eventType) {
        return given().queryParam("event_type", eventType).get("/sim/notifications").then().extract().jsonPath()
                .getList("findAll { it.body.contains('" + leaseId + "') }.body");
    }
}
