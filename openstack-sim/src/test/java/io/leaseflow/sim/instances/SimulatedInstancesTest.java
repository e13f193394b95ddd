package io.leaseflow.sim.instances;

import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stacks whose servers carry a reservation get simulated instances that run their user_data: the shipped
 * cloud-init snippet (and so the shipped agent) or a plain script, as child processes with their own root.
 */
@QuarkusTest
class SimulatedInstancesTest {

    private static final String GROUP_TEMPLATE = """
            heat_template_version: 2018-08-31
            parameters:
              reservation_id: {type: string, default: ""}
              node_count: {type: number, default: 3}
              exchange_url: {type: string, default: ""}
              exchange_token: {type: string, default: "", hidden: true}
            resources:
              nodes:
                type: OS::Heat::ResourceGroup
                properties:
                  count: {get_param: node_count}
                  resource_def:
                    type: OS::Nova::Server
                    properties:
                      name: cluster-node-%index%
                      image: CC-Ubuntu22.04
                      flavor: baremetal
                      scheduler_hints: {reservation: {get_param: reservation_id}}
                      user_data_format: RAW
                      user_data:
                        str_replace:
                          template: {get_file: cloud-init.yaml}
                          params:
                            "{{exchange_url}}": {get_param: exchange_url}
                            "{{exchange_token}}": {get_param: exchange_token}
            """;

    private static final String SCRIPT_TEMPLATE = """
            heat_template_version: 2018-08-31
            parameters:
              reservation_id: {type: string, default: ""}
            resources:
              alpha:
                type: OS::Nova::Server
                properties:
                  image: CC-Ubuntu22.04
                  scheduler_hints: {reservation: {get_param: reservation_id}}
                  user_data: |
                    #!/bin/sh
                    echo "$(hostname -I | awk '{print $1}') $(hostname)" >> /etc/hosts
                    echo "alpha wrote its line"
              beta:
                type: OS::Nova::Server
                properties:
                  image: CC-Ubuntu22.04
                  scheduler_hints: {reservation: {get_param: reservation_id}}
                  user_data: |
                    #!/bin/sh
                    echo "$(hostname -I | awk '{print $1}') $(hostname)" >> /etc/hosts
                    exit 4
              gamma:
                type: OS::Nova::Server
                properties:
                  image: CC-Ubuntu22.04
                  scheduler_hints: {reservation: {get_param: reservation_id}}
            """;

    @Test
    void resourceGroupBootsOneInstancePerMemberRunningTheShippedAgentOnceTheReservationIsSet() throws Exception {
        // The template embeds the shipped cloud-init snippet (which carries the agent verbatim) the way a user
        // would, inline instead of get_file; the group URL points at a path that answers 404, so every agent
        // runs, reports under its own hostname, and stops with the agent's error status.
        String cloudInit = Files.readString(Path.of("../hosts-exchange/agent/cloud-init.yaml"));
        String template = GROUP_TEMPLATE.replace("{get_file: cloud-init.yaml}", json(cloudInit));
        String groupUrl = "http://127.0.0.1:" + RestAssured.port + "/sim/no-such-exchange/v1/groups/g-1";
        TestTokens.Scoped demo = TestTokens.demo();
        Stack stack = create(demo, template, Map.of("initialize", true,
                "parameters", Map.of("exchange_url", groupUrl, "exchange_token", "t0ken")));
        show(stack).then().body("stack.stack_status", equalTo("INIT_COMPLETE"));
        instances(stack.id).then().statusCode(200).body("$", empty());

        patch(stack, Map.of("reservation_id", "r-1")).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> instances(stack.id).then()
                .body("$", hasSize(3)).body("status", everyItem(equalTo("failed"))));

        Response r = instances(stack.id);
        r.then().body("name", contains("cluster-node-0", "cluster-node-1", "cluster-node-2"))
                .body("resource", everyItem(equalTo("nodes")))
                .body("ip", everyItem(matchesPattern("10\\.20\\.\\d{1,3}\\.\\d{1,3}")))
                .body("exit_code", everyItem(equalTo(1)))
                .body("etc_hosts", everyItem(equalTo("127.0.0.1 localhost\n")));
        List<String> ips = r.path("ip");
        assertEquals(3, ips.stream().distinct().count(), "one address per instance: " + ips);
        r.then().body("find { it.name == 'cluster-node-1' }.log_tail", hasItem(
                startsWith("leaseflow-agent: group=g-1 key=cluster-node-1: report refused: HTTP 404")));

        // A second update with the same servers boots nothing new.
        patch(stack, Map.of("node_count", 3)).then().statusCode(202);
        awaitStatus(stack, "UPDATE_COMPLETE");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> instances(stack.id).then().body("ip", equalTo(ips)));

        given().header("X-Auth-Token", demo.id()).delete(stack.path()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> instances(stack.id).then().body("$", empty()));
    }

    @Test
    void serversWithoutReservationGetNoInstanceAndScriptUserDataRunsWithTheInstancesIdentity() {
        TestTokens.Scoped demo = TestTokens.demo();
        Stack stack = create(demo, SCRIPT_TEMPLATE, Map.of());
        awaitStatus(stack, "CREATE_COMPLETE");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> instances(stack.id).then().body("$", empty()));

        patch(stack, Map.of("reservation_id", "r-2")).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> instances(stack.id).then()
                .body("$", hasSize(3))
                .body("find { it.resource == 'gamma' }.status", equalTo("idle"))
                .body("find { it.resource == 'alpha' }.status", equalTo("done"))
                .body("find { it.resource == 'beta' }.status", equalTo("failed")));

        Response r = instances(stack.id);
        String alphaIp = r.path("find { it.resource == 'alpha' }.ip");
        r.then().body("find { it.resource == 'alpha' }.name", equalTo(stack.name + "-alpha"))
                .body("find { it.resource == 'alpha' }.exit_code", equalTo(0))
                .body("find { it.resource == 'alpha' }.etc_hosts",
                        equalTo("127.0.0.1 localhost\n" + alphaIp + " " + stack.name + "-alpha\n"))
                .body("find { it.resource == 'alpha' }.log_tail", contains("alpha wrote its line"))
                .body("find { it.resource == 'beta' }.exit_code", equalTo(4))
                .body("find { it.resource == 'gamma' }.etc_hosts", nullValue());
    }

    @Test
    void heatAgentImagesPollTheMetadataUrlOfTheirIndex() {
        String template = """
                heat_template_version: 2018-08-31
                parameters:
                  reservation_id: {type: string, default: ""}
                  metadata_urls: {type: comma_delimited_list}
                resources:
                  nodes:
                    type: OS::Heat::ResourceGroup
                    properties:
                      count: 2
                      resource_def:
                        type: OS::Nova::Server
                        properties:
                          name: occ-%index%
                          scheduler_hints: {reservation: {get_param: reservation_id}}
                          metadata:
                            os-collect-config:
                              collectors: [request]
                              request: {metadata_url: {get_param: [metadata_urls, "%index%"]}}
                """;
        String base = "http://127.0.0.1:" + RestAssured.port;
        // Member 0's URL is revoked (404): its agent stops. Member 1's answers 200 with no deployments: it polls on.
        Stack stack = create(TestTokens.demo(), template, Map.of("parameters", Map.of("reservation_id", "r-4",
                "metadata_urls", base + "/sim/revoked," + base + "/q/health/live")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> instances(stack.id).then()
                .body("find { it.name == 'occ-0' }.status", equalTo("failed"))
                .body("find { it.name == 'occ-0' }.log_tail", hasItem("os-collect-config: metadata URL answers 404; stopping")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> instances(stack.id)
                .then().body("find { it.name == 'occ-1' }.status", equalTo("reporting"))
                .body("find { it.name == 'occ-1' }.log_tail", empty()));
    }

    @Test
    void unsupportedUserDataFailsTheInstanceWithTheReason() {
        String template = SCRIPT_TEMPLATE.replace("#!/bin/sh", "MIME-Version: 1.0");
        Stack stack = create(TestTokens.demo(), template, Map.of("parameters", Map.of("reservation_id", "r-3")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> instances(stack.id).then()
                .body("find { it.resource == 'alpha' }.status", equalTo("failed"))
                .body("find { it.resource == 'alpha' }.log_tail[0]", matchesPattern(".*neither a script.*")));
    }

    private record Stack(String name, String id, TestTokens.Scoped token) {
        String path() {
            return "/orchestration/v1/" + token.projectId() + "/stacks/" + name + "/" + id;
        }
    }

    private static Stack create(TestTokens.Scoped token, String template, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        String name = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        body.put("stack_name", name);
        body.put("template", template);
        body.putAll(extra);
        Response r = given().contentType("application/json").accept("application/json")
                .header("X-Auth-Token", token.id()).body(body)
                .post("/orchestration/v1/" + token.projectId() + "/stacks");
        r.then().statusCode(201);
        return new Stack(name, r.path("stack.id"), token);
    }

    private static Response show(Stack stack) {
        return given().accept("application/json").header("X-Auth-Token", stack.token().id()).get(stack.path());
    }

    private static Response patch(Stack stack, Map<String, Object> parameters) {
        return given().contentType("application/json").accept("application/json")
                .header("X-Auth-Token", stack.token().id()).body(Map.of("parameters", parameters))
                .patch(stack.path());
    }

    private static void awaitStatus(Stack stack, String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                show(stack).then().statusCode(200).body("stack.stack_status", equalTo(status)));
    }

    private static Response instances(String stackId) {
        return given().accept("application/json").queryParam("stack_id", stackId).get("/sim/instances");
    }

    private static String json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }
}
