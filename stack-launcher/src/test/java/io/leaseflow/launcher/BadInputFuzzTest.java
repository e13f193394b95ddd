package io.leaseflow.launcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.OpenStackSimResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.fuzz.FuzzRun;
import io.leaseflow.testing.fuzz.HttpProbe;
import io.leaseflow.testing.fuzz.ProblemCheck;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Generated bad input on every body and query stack-launcher parses (Heat create bodies, bindings, manual launch,
 * list filters): a 4xx problem each time (or a 2xx where the input is still valid), never a 5xx; afterwards the
 * service is ready and a plan initialized before reads back exactly as it was. Prints {@code FUZZ ...} lines.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
@WithTestResource(OpenStackSimResource.class)
class BadInputFuzzTest {
    /** Over {@code quarkus.http.limits.max-body-size} (4M). */
    static final int OVERSIZE = 4 * 1024 * 1024 + 4096;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "leaseflow.topic-suffix")
    String topicSuffix;
    @ConfigProperty(name = "leaseflow.test.sim-url")
    String simUrl;

    private HttpProbe http;
    private Cloud.User demo;
    private Cloud.Lease lease;
    private String keptPlan;
    private String keptView;

    @BeforeEach
    void createDataThatMustSurvive() {
        http = HttpProbe.testApp();
        Cloud cloud = new Cloud(simUrl, bootstrap, topicSuffix);
        demo = cloud.user("demo");
        lease = cloud.lease(demo);
        keptPlan = initialize(example("dormant"));
        keptView = plan(keptPlan);
    }

    @AfterEach
    void serviceIsReadyAndAcceptedDataUntouched() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals(keptView, plan(keptPlan));
    }

    private String initialize(Map<String, Object> body) {
        var response = given().contentType("application/json").header("X-Auth-Token", demo.token()).body(body)
                .post("/v1/stacks");
        assertEquals(201, response.statusCode(), response.asString());
        return response.path("id");
    }

    private String plan(String id) {
        return given().header("X-Auth-Token", demo.token()).get("/v1/stacks/" + id).then().statusCode(200)
                .extract().asString();
    }

    private Map<String, Object> example(String mode) {
        Map<String, Object> body = new HashMap<>();
        body.put("stack_name", "fuzz-" + mode + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        body.put("template", Cloud.TEMPLATE);
        body.put("parameters", Map.of("reservation_id", ""));
        body.put("environment", Map.of("parameter_defaults", Map.of()));
        body.put("files", Map.of());
        body.put("timeout_mins", 10);
        body.put("disable_rollback", true);
        body.put("tags", List.of("fuzz"));
        body.put("lease_id", lease.id());
        body.put("reservation", Map.of("resource_type", "physical:host"));
        body.put("reservation_parameter", "reservation_id");
        body.put("mode", mode);
        return body;
    }

    private Map<String, String> auth() {
        return Map.of("X-Auth-Token", demo.token());
    }

    @Test
    void initializeBodies() {
        var run = FuzzRun.run("stack-launcher POST /v1/stacks", example("dormant"), OVERSIZE,
                in -> http.send("POST", "/v1/stacks", in, auth()));
        assertTrue(run.outcomes().keySet().stream().anyMatch(k -> k.startsWith("422") || k.startsWith("400")),
                run.toString());
    }

    @Test
    void bindingBodies() {
        Map<String, Object> example = new HashMap<>(Map.of("stack_name", "fuzz-bound", "lease_id", lease.id(),
                "heat_stack_id", "7a1c3c6e-3f36-4a8d-9d0b-2f6a1b0e6c11", "timeout_mins", 10,
                "reservation", Map.of("id", lease.reservationId()), "reservation_parameter", "reservation_id"));
        FuzzRun.run("stack-launcher POST /v1/bindings", example, OVERSIZE,
                in -> http.send("POST", "/v1/bindings", in, auth()));
    }

    @Test
    void manualLaunchBodies() {
        // A plan of its own: a body that happens to be valid launches it.
        String target = initialize(example("dormant"));
        FuzzRun.run("stack-launcher POST /v1/stacks/{id}/launch", Map.of("reservation_id", lease.reservationId()),
                OVERSIZE, in -> http.send("POST", "/v1/stacks/" + target + "/launch", in, auth()));
    }

    @Test
    void queriesAndPathIds() {
        Random random = new Random(FuzzRun.seed());
        int tries = FuzzRun.tries();
        var counts = new TreeMap<Integer, Integer>();
        for (int i = 0; i < tries; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                value.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x3000) : 0x20 + random.nextInt(0x5F));
            }
            String encoded = URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
            HttpProbe.Reply reply = switch (i % 3) {
                case 0 -> http.get("/v1/stacks?status=" + encoded, auth());
                case 1 -> http.get("/v1/stacks?lease_id=" + encoded, auth());
                default -> http.get("/v1/stacks/" + encoded.replace("+", "%20"), auth());
            };
            if (reply.status() >= 400) {
                ProblemCheck.assertProblem(reply, "case " + i + " value '" + value + "'");
            }
            counts.merge(reply.status(), 1, Integer::sum);
        }
        System.out.printf("FUZZ stack-launcher queries/path ids: %d cases, statuses %s%n", tries, counts);
        assertTrue(counts.keySet().stream().noneMatch(s -> s >= 500), counts.toString());
    }
}
