package io.leaseflow.sim.heat;

import io.leaseflow.sim.TestTokens;
import io.restassured.response.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Creates stacks the way heatclient does, with the template of samples/heat-real/02-stack-create.json. */
final class HeatStacks {

    static final String TEMPLATE = """
            heat_template_version: 2018-08-31
            description: leaseflow smoke - reservation_id parameter, no Nova/Neutron
            parameters:
              reservation_id:
                type: string
                default: ""
            resources:
              marker:
                type: OS::Heat::Value
                properties:
                  type: string
                  value: {get_param: reservation_id}
              noop:
                type: OS::Heat::None
                properties:
                  reservation: {get_param: reservation_id}
              token:
                type: OS::Heat::RandomString
                properties:
                  length: 8
            outputs:
              reservation_id:
                value: {get_attr: [marker, value]}
              random:
                value: {get_attr: [token, value]}
            """;

    record Created(String name, String id, String url, TestTokens.Scoped token) {
        String stacks() {
            return "/orchestration/v1/" + token.projectId() + "/stacks";
        }

        String path() {
            return stacks() + "/" + name + "/" + id;
        }
    }

    private HeatStacks() {
    }

    static Response post(TestTokens.Scoped token, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stack_name", "smoke-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("template", TEMPLATE);
        body.put("timeout_mins", 10);
        body.putAll(extra);
        return given().contentType("application/json").accept("application/json").header("X-Auth-Token", token.id())
                .body(body).post("/orchestration/v1/" + token.projectId() + "/stacks");
    }

    static Created create(TestTokens.Scoped token, Map<String, Object> extra) {
        Response r = post(token, extra);
        r.then().statusCode(201);
        String href = r.path("stack.links[0].href");
        String name = href.substring(0, href.lastIndexOf('/'));
        name = name.substring(name.lastIndexOf('/') + 1);
        return new Created(name, r.path("stack.id"), href, token);
    }

    static Response show(Created stack) {
        return given().accept("application/json").header("X-Auth-Token", stack.token().id()).get(stack.path());
    }

    static Response patch(Created stack, String token, Map<String, Object> body) {
        return given().contentType("application/json").accept("application/json").header("X-Auth-Token", token)
                .body(body).patch(stack.path());
    }
}
