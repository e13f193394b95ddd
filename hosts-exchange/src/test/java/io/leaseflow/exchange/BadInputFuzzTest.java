package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.fuzz.FuzzRun;
import io.leaseflow.testing.fuzz.HttpProbe;
import io.leaseflow.testing.fuzz.ProblemCheck;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every body, query and header the exchange parses, fed with generated bad input: each answer is a 4xx problem
 * (or a 2xx where the input is still valid), never a 5xx; afterwards the service is ready and a group created
 * before reads back exactly as it was. Case counts per parser are printed as {@code FUZZ ...} lines.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class BadInputFuzzTest {
    /** Over {@code quarkus.http.limits.max-body-size} (1M). */
    static final int OVERSIZE = 1024 * 1024 + 4096;

    private HttpProbe http;
    private ExchangeClient.Group kept;
    private String keptView;
    private String keptInputs;

    @BeforeEach
    void createDataThatMustSurvive() {
        http = HttpProbe.testApp();
        kept = createGroup(3);
        report(kept, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        keptView = given().get(kept.path()).then().statusCode(200).extract().asString();
        keptInputs = ExchangeClient.inputs(kept).then().statusCode(200).extract().asString();
    }

    @AfterEach
    void serviceIsReadyAndAcceptedDataUntouched() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals(keptView, given().get(kept.path()).then().statusCode(200).extract().asString());
        assertEquals(keptInputs, ExchangeClient.inputs(kept).then().statusCode(200).extract().asString());
    }

    @Test
    void groupDefinitions() {
        var example = Map.of("name", "mpi", "size", 4, "outputs", List.of("hosts", "keys"), "timeout_s", 600,
                "on_timeout", "partial", "heat", Map.of("export", Map.of("group", "script", "config", "#!/bin/sh"),
                        "populate", Map.of("config", "#!/bin/sh")));
        var run = FuzzRun.run("hosts-exchange POST /v1/groups", example, OVERSIZE,
                in -> http.send("POST", "/v1/groups", in, Map.of()));
        assertTrue(run.outcomes().keySet().stream().anyMatch(k -> k.startsWith("422")), run.toString());
    }

    @Test
    void memberReports() {
        var target = createGroup(1000);
        var example = Map.of("outputs", Map.of("hosts", "10.0.0.7 node-7"));
        var run = FuzzRun.run("hosts-exchange PUT /v1/groups/{id}/members/{key}", example, OVERSIZE,
                in -> http.send("PUT", target.path() + "/members/fuzz", in,
                        Map.of("Authorization", "Bearer " + target.joinToken())));
        assertTrue(run.outcomes().keySet().stream().anyMatch(k -> k.startsWith("400")), run.toString());
    }

    @Test
    void heatAgentSignals() {
        var target = createGroup(1000);
        String url = given().auth().oauth2(target.joinToken()).post(target.path() + "/heat-members/vm-1")
                .then().statusCode(201).extract().path("metadata_url");
        String path = java.net.URI.create(url).getRawPath();
        var example = Map.of("deploy_stdout", "ok", "deploy_stderr", "", "deploy_status_code", 0,
                "hosts", "10.0.0.9 vm-1");
        FuzzRun.run("hosts-exchange PUT /v1/heat/{capability}/signal/export", example, OVERSIZE,
                in -> http.send("PUT", path + "/signal/export", in, Map.of()));
    }

    @Test
    void queriesHeadersAndPathParameters() {
        Random random = new Random(FuzzRun.seed());
        int tries = FuzzRun.tries();
        String[] nasty = { "", " ", "-1", "99999999999", "1e3", "60x", "%00", "%C3%28", "../../etc", "60s;drop",
                "\u202E60s", "W/\"x\"", "*", "null", "1.5s", "PT60S" };
        var counts = new java.util.TreeMap<Integer, Integer>();
        for (int i = 0; i < tries; i++) {
            String value = random.nextInt(3) == 0 ? nasty[random.nextInt(nasty.length)] : randomText(random);
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            String auth = "Bearer " + kept.joinToken();
            HttpProbe.Reply reply = switch (i % 6) {
                case 0 -> http.get(kept.path() + "/inputs?wait=" + encoded, Map.of("Authorization", auth));
                case 1 -> http.get(kept.path() + "/inputs/hosts?format=" + encoded, Map.of("Authorization", auth));
                case 2 -> http.get(kept.path() + "/inputs?wait=0", Map.of("Authorization", auth,
                        "If-None-Match", headerSafe(value)));
                case 3 -> http.get("/v1/groups/" + encoded, Map.of());
                case 4 -> http.get(kept.path() + "/inputs", Map.of("Authorization", "Bearer " + headerSafe(value)));
                default -> http.get("/v1/heat/" + encoded, Map.of());
            };
            if (reply.status() >= 400) {
                ProblemCheck.assertProblem(reply, "case " + i + " (" + (i % 6) + ") value '" + value + "'");
            }
            counts.merge(reply.status(), 1, Integer::sum);
        }
        System.out.printf("FUZZ hosts-exchange queries/headers/path ids: %d cases, statuses %s%n", tries, counts);
        assertTrue(counts.keySet().stream().noneMatch(s -> s >= 500), counts.toString());
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(20); n > 0; n--) {
            s.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x3000) : 0x21 + random.nextInt(0x5E));
        }
        return s.toString();
    }

    /** Header values travel as ISO-8859-1 on the wire; HTTP clients refuse anything else. */
    private static String headerSafe(String value) {
        StringBuilder s = new StringBuilder();
        for (char c : value.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }
}
