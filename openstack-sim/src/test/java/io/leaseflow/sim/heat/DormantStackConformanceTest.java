package io.leaseflow.sim.heat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.leaseflow.sim.Samples.assertSameShape;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The "dormant" stack of §9.3 on upstream Heat: every resource and output conditioned on the reservation parameter
 * being non-empty; CREATE_COMPLETE with zero resources, and a PATCH through an impersonating trust creates them.
 */
@QuarkusTest
class DormantStackConformanceTest {

    static final String DORMANT = """
            heat_template_version: 2018-08-31
            parameters:
              reservation_id: {type: string, default: ""}
            conditions:
              launched: {not: {equals: [{get_param: reservation_id}, ""]}}
            resources:
              marker:
                type: OS::Heat::Value
                condition: launched
                properties: {type: string, value: {get_param: reservation_id}}
              noop:
                type: OS::Heat::None
                condition: launched
            outputs:
              reservation_id:
                condition: launched
                value: {get_attr: [marker, value]}
            """;

    private static void awaitStatus(HeatStacks.Created stack, String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                HeatStacks.show(stack).then().statusCode(200).body("stack.stack_status", equalTo(status)));
    }

    private static Response resources(HeatStacks.Created stack) {
        return given().accept("application/json").header("X-Auth-Token", stack.token().id())
                .get(stack.path() + "/resources");
    }

    @Test
    void dormantStackHasNoResourcesUntilAPatchThroughATrustSetsTheParameter() {
        TestTokens.Scoped demo = TestTokens.demo();
        HeatStacks.Created stack = HeatStacks.create(demo, Map.of("template", DORMANT));
        awaitStatus(stack, "CREATE_COMPLETE");
        resources(stack).then().statusCode(200).body("resources", empty());
        HeatStacks.show(stack).then().body("stack.outputs[0].output_value", nullValue());

        TestTokens.Scoped trustToken = TestTokens.trustToken(TestTokens.trust(demo, true));
        HeatStacks.patch(stack, trustToken.id(), Map.of("parameters", Map.of("reservation_id", "r-1")))
                .then().statusCode(202);
        awaitStatus(stack, "UPDATE_COMPLETE");
        resources(stack).then().statusCode(200)
                .body("resources.resource_name", containsInAnyOrder("marker", "noop"))
                .body("resources.resource_status", containsInAnyOrder("CREATE_COMPLETE", "CREATE_COMPLETE"));
        HeatStacks.show(stack).then().body("stack.outputs[0].output_value", equalTo("r-1"));
    }

    @Test
    void resourceListHasTheShapeOfRealHeat() {
        JsonNode sample = Samples.json("heat-real/04-resources-init-complete.json").at("/response/body/resources/0");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        awaitStatus(stack, "CREATE_COMPLETE");
        Response r = resources(stack);
        r.then().statusCode(200);
        JsonNode first = Samples.parse(r.asString()).at("/resources/0");
        assertSameShape(sample, first, "resource");
        assertSameShape(sample.at("/links/0"), first.at("/links/0"), "resource link");
    }

    @Test
    void conditionNamingNoEntryIsRefusedAtCreateAndValidate() {
        TestTokens.Scoped demo = TestTokens.demo();
        String broken = DORMANT.replace("condition: launched\n    properties", "condition: nowhere\n    properties");
        HeatStacks.post(demo, Map.of("template", broken)).then().statusCode(400)
                .body("error.type", equalTo("StackValidationFailed"));
        given().contentType("application/json").header("X-Auth-Token", demo.id()).body(Map.of("template", broken))
                .post("/orchestration/v1/" + demo.projectId() + "/validate").then().statusCode(400);
    }

    @Test
    void revokedTrustTokenGetsKeystonemiddlewares401() {
        JsonNode sample = Samples.json("heat-real/03-trust-patch-after-revoke.json").get("response");
        TestTokens.Scoped demo = TestTokens.demo();
        HeatStacks.Created stack = HeatStacks.create(demo, Map.of("template", DORMANT));
        String trust = TestTokens.trust(demo, true);
        TestTokens.Scoped trustToken = TestTokens.trustToken(trust);
        given().header("X-Auth-Token", demo.id()).delete("/identity/v3/OS-TRUST/trusts/" + trust)
                .then().statusCode(204);
        Response r = HeatStacks.patch(stack, trustToken.id(), Map.of("parameters", Map.of("reservation_id", "x")));
        r.then().statusCode(401);
        org.junit.jupiter.api.Assertions.assertEquals(sample.get("body"), Samples.parse(r.asString()));
    }
}
