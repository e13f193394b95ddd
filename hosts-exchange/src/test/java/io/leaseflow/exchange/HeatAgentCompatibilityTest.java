package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.inputs;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The capability URLs against what the real agent sends and reads ({@code samples/heat-agent/}): the request
 * collector's HEAD+GET without credentials, the server-metadata shape, heat-config-notify's signal body.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class HeatAgentCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hop-by-hop or per-connection headers the replay lets the client set itself. */
    private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "connection", "accept-encoding");

    static JsonNode sample(String name) {
        try (InputStream in = HeatAgentCompatibilityTest.class.getClassLoader()
                .getResourceAsStream("samples/heat-agent/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> pollRequests() {
        try (InputStream in = HeatAgentCompatibilityTest.class.getClassLoader()
                .getResourceAsStream("samples/heat-agent/request-collector-poll-requests.jsonl")) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request as the agent sent it (method and headers from the sample), to our URL. */
    static Response replay(JsonNode recorded, String url, String body) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.get("headers").fields(); it.hasNext();) {
            var header = it.next();
            if (!CLIENT_OWNED.contains(header.getKey().toLowerCase())) {
                request.header(header.getKey(), header.getValue().asText());
            }
        }
        if (body != null) {
            request.body(body.getBytes(StandardCharsets.UTF_8));
        }
        return request.when().request(recorded.get("method").asText(), URI.create(url).getRawPath());
    }

    static String issueCapability(ExchangeClient.Group group, String key) {
        return given().auth().oauth2(group.joinToken()).when().post(group.path() + "/heat-members/" + key)
                .then().statusCode(201)
                .body("key", equalTo(key))
                .body("os_collect_config.collectors", equalTo(List.of("request")))
                .body("os_collect_config.polling_interval", is(2))
                .extract().path("metadata_url");
    }

    static JsonNode metadata(String url) {
        List<Response> answers = new ArrayList<>();
        for (JsonNode recorded : pollRequests()) {
            answers.add(replay(recorded, url, null));
        }
        assertEquals(List.of("HEAD", "GET"), pollRequests().stream().map(r -> r.get("method").asText()).toList());
        for (Response answer : answers) {
            answer.then().statusCode(200);
            assertThat(answer.header("ETag"), nullValue());
            assertThat(answer.header("Last-Modified"), nullValue());
        }
        try {
            return JSON.readTree(answers.get(answers.size() - 1).asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String input(JsonNode deployment, String name) {
        for (JsonNode input : deployment.get("inputs")) {
            if (input.get("name").asText().equals(name)) {
                return input.get("value").isTextual() ? input.get("value").asText() : input.get("value").toString();
            }
        }
        throw new AssertionError("no input " + name + " in " + deployment);
    }

    static JsonNode inputNode(JsonNode deployment, String name) {
        for (JsonNode input : deployment.get("inputs")) {
            if (input.get("name").asText().equals(name)) {
                return input;
            }
        }
        throw new AssertionError("no input " + name);
    }

    @Test
    void metadataIsServedToHeadAndGetWithoutCredentialsInTheServerMetadataShape() {
        var group = createGroup(Map.of("name", "cluster", "size", 2, "outputs", List.of("result")));
        String url = issueCapability(group, "server-0");
        JsonNode served = metadata(url);
        JsonNode heat = sample("request-collector-server-metadata.json");

        assertEquals(fieldNames(heat), fieldNames(served));
        assertTrue(served.get("deployments").isArray());
        JsonNode export = served.get("deployments").get(0);
        Set<String> itemKeys = fieldNames(heat.get("deployments").get(0));
        itemKeys.remove("updated_time");
        assertTrue(fieldNames(export).containsAll(itemKeys), fieldNames(export) + " vs " + itemKeys);
        for (JsonNode input : export.get("inputs")) {
            assertTrue(fieldNames(input).containsAll(Set.of("name", "type", "value", "description")));
        }
        assertEquals(Set.of("description", "error_output", "name", "type"), fieldNames(export.get("outputs").get(0)));
        assertEquals("script", export.get("group").asText());
        assertEquals("TEMP_URL_SIGNAL", input(export, "deploy_signal_transport"));
        assertEquals("PUT", input(export, "deploy_signal_verb"));
        assertEquals(url + "/signal/export", input(export, "deploy_signal_id"));
        assertEquals("server-0", input(export, "deploy_resource_name"));

        JsonNode occ = served.get("os-collect-config");
        assertEquals(fieldNames(heat.get("os-collect-config")), fieldNames(occ));
        assertEquals("[\"request\"]", occ.get("collectors").toString());
        assertEquals(url, occ.get("request").get("metadata_url").asText());
        assertTrue(occ.get("polling_interval").isInt());
        assertEquals(2, occ.get("polling_interval").asInt());
        assertFalse(occ.has("splay"));

        // Conditional headers change nothing: the collector would take a 304 for bad JSON.
        given().header("If-None-Match", "*").header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")
                .when().get(URI.create(url).getRawPath()).then().statusCode(200);
    }

    @Test
    void signalIsIdempotentAndTheSecondPhaseCarriesTheAggregateAsJson() {
        var group = createGroup(Map.of("name", "cluster", "size", 2, "outputs", List.of("result")));
        String url0 = issueCapability(group, "server-0");
        String url1 = issueCapability(group, "server-1");
        JsonNode recorded = sample("heat-config-notify-signal-request.json");
        String body = recorded.get("body_text").asText();
        assertEquals(sample("heat-config-notify-signal-body.json"), recorded.get("body_json"));
        String signal0 = input(metadata(url0).get("deployments").get(0), "deploy_signal_id");
        double claimedBefore = metric("leaseflow_exchange_member_reports_total", "result=\"claimed\"");

        // heat-config-notify retries a PUT: three identical signals, one effect.
        var put = recorded.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) put).put("method", "PUT");
        for (int attempt = 0; attempt < 3; attempt++) {
            replay(put, signal0, body).then().statusCode(200).contentType(startsWith("application/json"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get(group.path()).<Integer> path("reported") == 1);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> metric("leaseflow_exchange_member_reports_total", "result=\"claimed\"") - claimedBefore == 1);
        given().when().get(group.path()).then().body("reported", is(1)).body("status", equalTo("OPEN"));
        String expected = sample("heat-config-notify-signal-body.json").get("result").asText();
        inputs(group).then().body("inputs.result", equalTo(Map.of("server-0", expected)));

        // The other server's agent signals with POST, the tool's default verb.
        String signal1 = input(metadata(url1).get("deployments").get(0), "deploy_signal_id");
        replay(recorded, signal1, body.replace("ec14c864", "ffff0000")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "COMPLETE".equals(given().when().get(group.path()).path("status")));

        JsonNode closed = metadata(url0);
        assertEquals(30, closed.get("os-collect-config").get("polling_interval").asInt());
        JsonNode deployments = closed.get("deployments");
        assertEquals(2, deployments.size());
        JsonNode populate = deployments.get(1);
        assertTrue(deployments.get(0).get("name").asText().compareTo(populate.get("name").asText()) < 0);
        assertNotEquals(deployments.get(0).get("id").asText(), populate.get("id").asText());
        JsonNode aggregate = inputNode(populate, "result");
        assertEquals("Json", aggregate.get("type").asText());
        assertTrue(aggregate.get("value").isObject(), "an object, not a string holding a repr");
        assertEquals(expected, aggregate.get("value").get("server-0").asText());
        assertEquals(expected.replace("ec14c864", "ffff0000"), aggregate.get("value").get("server-1").asText());
        assertEquals(url0 + "/signal/populate", input(populate, "deploy_signal_id"));
        // The same metadata on every poll: the agent runs the populate config once.
        assertEquals(closed, metadata(url0));

        // The populate phase's own signal is recorded, idempotently.
        for (int attempt = 0; attempt < 2; attempt++) {
            given().contentType("application/json").body("{\"deploy_stdout\": \"\", \"deploy_stderr\": \"\","
                    + " \"deploy_status_code\": 0}").when().put(URI.create(url0).getRawPath() + "/signal/populate")
                    .then().statusCode(200);
        }
        // A retry after completion is still a success, not a conflict.
        replay(put, signal0, body).then().statusCode(200);
    }

    @Test
    void populateScriptGetsJsonNotAPythonRepr(@TempDir Path dir) throws Exception {
        assumeTrue(canRun("python3", "--version"), "python3 is needed to run the populate script");
        var group = createGroup(Map.of("name", "hosts", "size", 2, "outputs", List.of("hosts")));
        String url0 = issueCapability(group, "node-0");
        String url1 = issueCapability(group, "node-1");
        for (String url : List.of(url0, url1)) {
            JsonNode export = metadata(url).get("deployments").get(0);
            // Run the export script as the script hook would, then signal what it wrote.
            Path script = dir.resolve("export-" + export.get("id").asText());
            Files.writeString(script, export.get("config").asText());
            Path outputs = dir.resolve(export.get("id").asText());
            run(dir, Map.of("heat_outputs_path", outputs.toString()), "sh", script.toString());
            String line = Files.readString(Path.of(outputs + ".hosts"));
            assertTrue(line.endsWith("\n") && line.strip().contains(" "), line);
            String signal = JSON.writeValueAsString(Map.of("hosts", line, "deploy_stdout", "", "deploy_stderr", "",
                    "deploy_status_code", 0));
            given().contentType("application/json").body(signal)
                    .when().put(URI.create(input(export, "deploy_signal_id")).getRawPath()).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "COMPLETE".equals(given().when().get(group.path()).path("status")));

        JsonNode populate = metadata(url0).get("deployments").get(1);
        // heat-config's script hook json.dumps()es dict inputs (55-heat-config str()s only String-typed ones).
        Map<String, String> env = new HashMap<>();
        JsonNode hosts = inputNode(populate, "hosts");
        assertEquals("Json", hosts.get("type").asText());
        env.put("hosts", hosts.get("value").toString());
        env.put("deploy_stack_id", input(populate, "deploy_stack_id"));
        Path etcHosts = dir.resolve("hosts");
        Files.writeString(etcHosts, "127.0.0.1 localhost\n");
        env.put("LEASEFLOW_HOSTS_FILE", etcHosts.toString());
        Path script = dir.resolve("populate");
        Files.writeString(script, populate.get("config").asText());
        run(dir, env, "python3", script.toString());
        List<String> installed = Files.readAllLines(etcHosts);
        assertEquals("127.0.0.1 localhost", installed.get(0));
        assertEquals(4 + 1, installed.size(), installed.toString());
        assertTrue(installed.get(1).startsWith("# BEGIN leaseflow group hosts/"));
        // Twice is the same as once (the agent re-runs a failing command every poll).
        run(dir, env, "python3", script.toString());
        assertEquals(installed, Files.readAllLines(etcHosts));
    }

    @Test
    void failedMemberIsRecordedAndClosesTheGroupPerOnTimeout() {
        var group = createGroup(Map.of("name", "cluster", "size", 1, "outputs", List.of("hosts"), "on_timeout",
                "fail"));
        String url = issueCapability(group, "node-0");
        String signal = input(metadata(url).get("deployments").get(0), "deploy_signal_id");
        given().contentType("application/json").body("{\"deploy_stdout\": \"\", \"deploy_stderr\": \"boom\","
                + " \"deploy_status_code\": 2}").when().put(URI.create(signal).getRawPath()).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "EXPIRED".equals(given().when().get(group.path()).path("status")));
        given().when().get(group.path()).then().body("reported", is(1)).body("failed", is(1));
        JsonNode after = metadata(url);
        assertEquals(1, after.get("deployments").size(), "no populate phase for a failed exchange");
        assertEquals(30, after.get("os-collect-config").get("polling_interval").asInt());
    }

    @Test
    void capabilityUrlsAreUnguessableRevocableAndBindTheirKey() {
        var group = createGroup(Map.of("name", "cluster", "size", 2, "outputs", List.of("hosts")));
        String url = issueCapability(group, "node-0");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertTrue(token.length() >= 43, token);

        // The key belongs to the capability: a native writer with the join token cannot take it.
        report(group, "node-0", "10.6.6.6 impostor").then().statusCode(403)
                .body("type", equalTo("https://leaseflow.io/problems/member-secret-mismatch"));
        given().when().post(group.path() + "/heat-members/node-1").then().statusCode(401);
        given().when().get("/v1/heat/" + "A".repeat(43)).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().when().head("/v1/heat/" + "A".repeat(43)).then().statusCode(404);
        given().contentType("application/json").body("{}").when().put("/v1/heat/" + "A".repeat(43) + "/signal/export")
                .then().statusCode(404);

        given().auth().oauth2(group.joinToken()).when().delete(group.path() + "/heat-members/node-0")
                .then().statusCode(204);
        given().when().get(URI.create(url).getRawPath()).then().statusCode(404);
        given().when().head(URI.create(url).getRawPath()).then().statusCode(404);

        // A key that already reported natively cannot be handed to an agent.
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(201);
        given().auth().oauth2(group.joinToken()).when().post(group.path() + "/heat-members/node-1")
                .then().statusCode(409).body("type", equalTo("https://leaseflow.io/problems/key-already-claimed"));
        assertThat(token, not(equalTo(group.joinToken())));
    }

    private static boolean canRun(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(Path dir, Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }
}
