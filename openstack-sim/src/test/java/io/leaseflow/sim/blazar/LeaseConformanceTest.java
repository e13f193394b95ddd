package io.leaseflow.sim.blazar;

import com.fasterxml.jackson.databind.JsonNode;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.leaseflow.sim.Samples.assertSameShape;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class LeaseConformanceTest {

    private static final JsonNode SAMPLE = Samples.json("blazar/lease-details-resp.json").get("lease");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String PERFECT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
    private static final String ROW = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    private static Map<String, Object> leaseRequest(String start, String end) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "name", "lease-" + UUID.randomUUID(),
                "start_date", start,
                "end_date", end,
                "events", List.of()));
        body.put("reservations", List.of(
                Map.of("resource_type", "physical:host", "min", 1, "max", 1, "hypervisor_properties", "",
                        "resource_properties", "", "on_start", "orchestration:" + UUID.randomUUID()),
                Map.of("resource_type", "virtual:instance", "amount", 4, "vcpus", 2, "memory_mb", 4096,
                        "disk_gb", 100, "affinity", false, "resource_properties", "")));
        return body;
    }

    private static Response create(TestTokens.Scoped token, Map<String, Object> body) {
        return given().contentType("application/json").header("X-Auth-Token", token.id()).body(body)
                .post("/reservation/v1/leases");
    }

    private static String future(Duration d, DateTimeFormatter f) {
        return f.format(LocalDateTime.now(ZoneOffset.UTC).plus(d));
    }

    @Test
    void createAnswers201WithALeaseShapedLikeBlazars() {
        TestTokens.Scoped demo = TestTokens.demo();
        Response r = create(demo, leaseRequest(future(Duration.ofHours(1), MINUTES), future(Duration.ofHours(3), MINUTES)));
        r.then().statusCode(201);
        JsonNode lease = Samples.parse(r.asString()).get("lease");

        assertEquals(Samples.orderedKeys(SAMPLE), Samples.orderedKeys(lease));
        assertSameShape(SAMPLE, lease, "lease");
        JsonNode host = lease.at("/reservations/0");
        Set<String> hostKeys = new HashSet<>(Samples.keys(SAMPLE.at("/reservations/0")));
        hostKeys.add("on_start");
        assertEquals(hostKeys, Samples.keys(host));
        assertSameShape(SAMPLE.at("/reservations/1"), lease.at("/reservations/1"), "virtual:instance reservation");
        assertSameShape(SAMPLE.at("/events/0"), lease.at("/events/0"), "event");
        assertEquals("PENDING", lease.get("status").asText());
        assertEquals("pending", host.get("status").asText());
        assertEquals(demo.projectId(), lease.get("project_id").asText());
        assertEquals(demo.userId(), lease.get("user_id").asText());
        assertTrue(lease.get("start_date").asText().matches(PERFECT));
        assertTrue(lease.get("created_at").asText().matches(ROW));
        assertTrue(lease.at("/events/0/time").asText().matches(PERFECT));
        assertTrue(host.get("on_start").asText().startsWith("orchestration:"));
        assertEquals(Set.of("start_lease", "end_lease", "before_end_lease"),
                Set.copyOf(lease.findValuesAsText("event_type")));
    }

    @Test
    void listAndShowReturnTheLeaseOnlyToItsProjectOrAnAdmin() {
        TestTokens.Scoped demo = TestTokens.demo();
        String id = create(demo, leaseRequest(future(Duration.ofHours(1), MINUTES), future(Duration.ofHours(2), MINUTES)))
                .path("lease.id");
        given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases")
                .then().statusCode(200).body("leases.id", hasItem(id));
        given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id)
                .then().statusCode(200).body("lease.id", equalTo(id));
        given().header("X-Auth-Token", TestTokens.service().id()).get("/reservation/v1/leases/" + id)
                .then().statusCode(200).body("lease.id", equalTo(id));
        given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + UUID.randomUUID())
                .then().statusCode(404).body("error_code", equalTo(404));
    }

    @Test
    void leaseCallsWithoutAValidTokenAnswer401() {
        given().get("/reservation/v1/leases").then().statusCode(401).body("error.code", equalTo(401));
        given().header("X-Auth-Token", "bogus").get("/reservation/v1/leases").then().statusCode(401);
    }

    @Test
    void leaseMovesToActiveAtStartDateAndToTerminatedAtEndDate() {
        TestTokens.Scoped demo = TestTokens.demo();
        String id = create(demo, leaseRequest(future(Duration.ofSeconds(2), SECONDS), future(Duration.ofSeconds(4), SECONDS)))
                .then().statusCode(201).extract().path("lease.id");
        given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id)
                .then().body("lease.status", equalTo("PENDING"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id).then()
                        .body("lease.status", equalTo("ACTIVE"))
                        .body("lease.reservations.status", org.hamcrest.Matchers.everyItem(equalTo("active")))
                        .body("lease.events.find { it.event_type == 'start_lease' }.status", equalTo("DONE")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id).then()
                        .body("lease.status", equalTo("TERMINATED"))
                        .body("lease.events.find { it.event_type == 'end_lease' }.status", equalTo("DONE")));
        List<String> types = given().get("/sim/notifications").then().extract()
                .jsonPath().getList("findAll { it.body.contains('" + id + "') }.eventType");
        assertEquals(List.of("lease.create", "lease.event.start_lease", "lease.event.before_end_lease",
                "lease.event.end_lease"), types);
    }

    @Test
    void startDateNowStartsTheLeaseAtOnceAndPublishesAChameleonStartNotification() {
        TestTokens.Scoped demo = TestTokens.demo();
        String id = create(demo, leaseRequest("now", future(Duration.ofHours(2), MINUTES)))
                .then().statusCode(201).extract().path("lease.id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id).then()
                        .body("lease.status", equalTo("ACTIVE")));
        String body = given().queryParam("event_type", "lease.event.start_lease").get("/sim/notifications").then()
                .extract().jsonPath().getString("find { it.body.contains('" + id + "') }.body");
        JsonNode envelope = Samples.parse(body);
        assertEquals("2.0", envelope.get("oslo.version").asText());
        JsonNode message = Samples.parse(envelope.get("oslo.message").asText());
        JsonNode sample = Samples.parse(Samples.parse(new String(Samples.bytes(
                "blazar/wire/chameleon-004-lease.event.start_lease.body"))).get("oslo.message").asText());
        assertEquals(Samples.orderedKeys(sample), Samples.orderedKeys(message));
        assertEquals(Samples.orderedKeys(sample.get("payload")), Samples.orderedKeys(message.get("payload")));
        assertEquals(id, message.at("/payload/lease_id").asText());
        assertEquals("blazar.lease", message.get("publisher_id").asText());
        assertTrue(message.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?"));
    }

    @Test
    void updateAndDeleteAreNotified() {
        TestTokens.Scoped demo = TestTokens.demo();
        String id = create(demo, leaseRequest(future(Duration.ofHours(1), MINUTES), future(Duration.ofHours(2), MINUTES)))
                .path("lease.id");
        String newEnd = future(Duration.ofHours(5), MINUTES);
        given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("end_date", newEnd, "name", "renamed-" + id))
                .put("/reservation/v1/leases/" + id)
                .then().statusCode(200).body("lease.name", equalTo("renamed-" + id))
                .body("lease.end_date", equalTo(newEnd.replace(' ', 'T') + ":00.000000"))
                .body("lease.updated_at", not(equalTo(null)));
        given().header("X-Auth-Token", demo.id()).delete("/reservation/v1/leases/" + id).then().statusCode(200);
        given().header("X-Auth-Token", demo.id()).get("/reservation/v1/leases/" + id).then().statusCode(404);
        List<String> types = given().get("/sim/notifications").then().extract()
                .jsonPath().getList("findAll { it.body.contains('" + id + "') }.eventType");
        assertEquals(List.of("lease.create", "lease.update", "lease.delete"), types);
    }

    @Test
    void malformedOnStartAndPastStartDatesAreRefused() {
        TestTokens.Scoped demo = TestTokens.demo();
        Map<String, Object> bad = leaseRequest(future(Duration.ofHours(1), MINUTES), future(Duration.ofHours(2), MINUTES));
        bad.put("reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1,
                "on_start", "orchestration:not-a-uuid")));
        create(demo, bad).then().statusCode(400).body("error_code", equalTo(400));
        create(demo, leaseRequest(future(Duration.ofHours(-2), MINUTES), future(Duration.ofHours(2), MINUTES)))
                .then().statusCode(400);
        create(demo, leaseRequest(future(Duration.ofHours(2), MINUTES), future(Duration.ofHours(1), MINUTES)))
                .then().statusCode(400);
    }
}
