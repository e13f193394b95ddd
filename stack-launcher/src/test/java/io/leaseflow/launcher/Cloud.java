package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.leaseflow.contract.CloudEventIds;
import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.contract.Topics;
import io.leaseflow.testing.openstack.KeystoneRequests;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The simulated cloud as the tests use it: users, Blazar leases, Heat stacks, the request log, faults, Kafka. */
final class Cloud {
    static final String TEMPLATE = """
            heat_template_version: 2018-08-31
            description: two resources and an output, all needing the reservation
            parameters:
              reservation_id: {type: string, default: ""}
            resources:
              marker:
                type: OS::Heat::Value
                properties: {type: string, value: {get_param: reservation_id}}
              noop:
                type: OS::Heat::None
            outputs:
              reservation:
                value: {get_attr: [marker, value]}
            """;
    static final String NO_PARAMETER_TEMPLATE = """
            heat_template_version: 2018-08-31
            resources:
              noop:
                type: OS::Heat::None
            """;
    private static final DateTimeFormatter BLAZAR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    record User(String token, String projectId, String userId) {
    }

    record Lease(String id, String reservationId) {
    }

    private final String sim;
    private final String bootstrap;
    private final String suffix;

    Cloud(String sim, String bootstrap, String suffix) {
        this.sim = sim;
        this.bootstrap = bootstrap;
        this.suffix = suffix;
    }

    User user(String name) {
        return user(name, "secret", name);
    }

    User user(String name, String password, String project) {
        Response auth = given().baseUri(sim).contentType("application/json")
                .body(KeystoneRequests.passwordAuth(name, password, project)).post("/identity/v3/auth/tokens");
        auth.then().statusCode(201);
        return new User(auth.header("X-Subject-Token"), auth.jsonPath().getString("token.project.id"),
                auth.jsonPath().getString("token.user.id"));
    }

    /** A lease far in the future (the simulator never starts it): the tests send the start event themselves. */
    Lease lease(User user) {
        return lease(user, Instant.now().plus(300, ChronoUnit.DAYS));
    }

    /** A lease starting at {@code start} (to the second): the simulator starts it, nobody tells stack-launcher. */
    Lease lease(User user, Instant start) {
        Response r = given().baseUri(sim).contentType("application/json").header("X-Auth-Token", user.token())
                .body(Map.of("name", "lease-" + UUID.randomUUID().toString().substring(0, 8),
                        "start_date", blazar(start), "end_date", blazar(start.plus(1, ChronoUnit.DAYS)),
                        "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1,
                                "hypervisor_properties", "", "resource_properties", "")),
                        "events", List.of()))
                .post("/reservation/v1/leases");
        r.then().statusCode(201);
        return new Lease(r.path("lease.id"), r.path("lease.reservations[0].id"));
    }

    /** A stack in INIT_COMPLETE, as Chameleon's Heat stores {@code initialize: true}. */
    String initializedStack(User user, String name) {
        return initializedStack(user, name, TEMPLATE);
    }

    String initializedStack(User user, String name, String template) {
        return given().baseUri(sim).contentType("application/json").header("X-Auth-Token", user.token())
                .body(Map.of("stack_name", name, "initialize", true, "template", template))
                .post(heat(user) + "/stacks").then().statusCode(201).extract().path("stack.id");
    }

    String heat(User user) {
        return "/orchestration/v1/" + user.projectId();
    }

    Response stack(String stackId) {
        return given().baseUri(sim).get("/sim/stacks/" + stackId);
    }

    List<?> resources(User user, String name, String stackId) {
        return given().baseUri(sim).header("X-Auth-Token", user.token())
                .get(heat(user) + "/stacks/" + name + "/" + stackId + "/resources").then().statusCode(200)
                .extract().path("resources");
    }

    List<Map<String, Object>> requests(String service, String method) {
        return given().baseUri(sim).queryParam("service", service).queryParam("method", method).get("/sim/requests")
                .then().statusCode(200).extract().path("$");
    }

    /** Heat calls that change a stack: PATCH, PUT, and POST /stacks. */
    long heatLaunchCalls(String stackOrPlan) {
        return requests("heat", null).stream()
                .filter(r -> List.of("PATCH", "PUT", "POST").contains(r.get("method")))
                .filter(r -> !String.valueOf(r.get("path")).endsWith("/validate"))
                .filter(r -> String.valueOf(r.get("path")).contains(stackOrPlan)
                        || String.valueOf(r.get("body")).contains(stackOrPlan))
                .count();
    }

    void clearRequests() {
        given().baseUri(sim).delete("/sim/requests").then().statusCode(204);
    }

    void fault(String service, String method, int status, int count) {
        given().baseUri(sim).contentType("application/json")
                .body(Map.of("service", service, "method", method, "status", status, "count", count))
                .post("/sim/faults").then().statusCode(201);
    }

    /** The next {@code count} matching calls answer {@code status} (0: normally) after {@code delayMs}. */
    void slow(String service, String method, int status, long delayMs, int count) {
        given().baseUri(sim).contentType("application/json")
                .body(Map.of("service", service, "method", method, "status", status, "count", count,
                        "delayMs", delayMs))
                .post("/sim/faults").then().statusCode(201);
    }

    void clearFaults() {
        given().baseUri(sim).delete("/sim/faults");
    }

    void leaseEvent(LeaseEventType type, User user, Lease lease) {
        leaseEvent(type, lease.id(), eventJson(user, lease), null);
    }

    /** As lease-watcher writes it; {@code traceparent} (W3C) as its notification span would set it, if given. */
    void leaseEvent(LeaseEventType type, User user, Lease lease, String traceparent) {
        leaseEvent(type, lease.id(), eventJson(user, lease), traceparent);
    }

    /** The lease event's JSON as lease-watcher writes it. */
    String eventJson(User user, Lease lease) {
        LeaseEvent event = new LeaseEvent(lease.id(), "lease", user.projectId(), user.userId(), null, Instant.now(),
                Instant.now().plusSeconds(3600), "ACTIVE",
                List.of(new LeaseEvent.Reservation(lease.reservationId(), "physical:host", "active", null),
                        new LeaseEvent.Reservation(UUID.randomUUID().toString(), "virtual:instance", "active", null)),
                ObservedVia.NOTIFICATION, UUID.randomUUID().toString(), Instant.now());
        try {
            return EventJson.mapper().writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A binary-mode CloudEvent of this type with any value, readable or not. */
    void leaseEvent(LeaseEventType type, String leaseId, String value) {
        leaseEvent(type, leaseId, value, null);
    }

    /** As above, with a W3C {@code traceparent} header when given. */
    void leaseEvent(LeaseEventType type, String leaseId, String value, String traceparent) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            var headers = new RecordHeaders()
                    .add("ce_specversion", bytes("1.0"))
                    .add("ce_id", bytes(CloudEventIds.leaseEvent(leaseId, type)))
                    .add("ce_type", bytes(type.cloudEventType()))
                    .add("ce_source", bytes("/leaseflow/lease-watcher"))
                    .add("content-type", bytes("application/json"));
            if (traceparent != null) {
                headers.add("traceparent", bytes(traceparent));
            }
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.LEASE_EVENTS + suffix, null, leaseId,
                    value, headers)).awaitCompletion();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String blazar(Instant instant) {
        if (instant.getEpochSecond() % 60 != 0 || instant.getNano() != 0) {
            return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        }
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR);
    }
}
