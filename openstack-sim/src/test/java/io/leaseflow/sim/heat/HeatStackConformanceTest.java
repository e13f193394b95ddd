package io.leaseflow.sim.heat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.leaseflow.sim.Samples.assertSameShape;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class HeatStackConformanceTest {

    private static JsonNode response(String sample) {
        return Samples.json("heat-real/" + sample).get("response");
    }

    private static void awaitStatus(HeatStacks.Created stack, String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                HeatStacks.show(stack).then().statusCode(200).body("stack.stack_status", equalTo(status)));
    }

    @Test
    void createAnswers201WithLocationAndSelfLink() {
        JsonNode sample = response("02-stack-create.json");
        Response r = HeatStacks.post(TestTokens.demo(), Map.of());
        r.then().statusCode(201);
        JsonNode body = Samples.parse(r.asString());
        assertSameShape(sample.at("/body/stack"), body.get("stack"), "stack");
        assertSameShape(sample.at("/body/stack/links/0"), body.at("/stack/links/0"), "link");
        assertEquals(body.at("/stack/links/0/href").asText(), r.header("Location"));
    }

    @Test
    void showHasTheFieldsOfRealHeatAndReachesCreateComplete() {
        JsonNode sample = response("02-stack-show-created.json").at("/body/stack");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        awaitStatus(stack, "CREATE_COMPLETE");
        JsonNode shown = Samples.parse(HeatStacks.show(stack).asString()).get("stack");

        assertEquals(Samples.orderedKeys(sample), Samples.orderedKeys(shown));
        assertSameShape(sample, shown, "stack");
        assertEquals(Samples.orderedKeys(sample.get("parameters")), Samples.orderedKeys(shown.get("parameters")));
        assertSameShape(sample.at("/outputs/0"), shown.at("/outputs/0"), "output");
        assertEquals(stack.id(), shown.at("/parameters/OS::stack_id").asText());
        assertEquals(stack.token().projectId(), shown.at("/parameters/OS::project_id").asText());
        assertEquals("Stack CREATE completed successfully", shown.get("stack_status_reason").asText());
        assertEquals("demo", shown.get("stack_owner").asText());
        assertEquals(8, shown.at("/outputs/1/output_value").asText().length());
    }

    @Test
    void initializeStoresTheStackAsInitCompleteWithoutCreatingIt() {
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of("initialize", true,
                "parameters", Map.of("reservation_id", "dummy")));
        HeatStacks.show(stack).then().body("stack.stack_status", equalTo("INIT_COMPLETE"))
                .body("stack.stack_status_reason", equalTo(""))
                .body("stack.parameters.reservation_id", equalTo("dummy"))
                .body("stack.outputs.find { it.output_key == 'reservation_id' }.output_value", nullValue());
        given().header("X-Auth-Token", stack.token().id()).queryParam("status", "INIT_COMPLETE").get(stack.stacks())
                .then().statusCode(200).body("stacks.id", hasItem(stack.id()));
    }

    @Test
    void patchAnswers202ThenUpdateCompleteWithTheNewParameterAndOutput() {
        JsonNode sample = response("02-stack-patch.json");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of("initialize", true));
        Response r = HeatStacks.patch(stack, stack.token().id(),
                Map.of("converge", true, "parameters", Map.of("reservation_id", "abc")));
        r.then().statusCode(202).header("Location", nullValue());
        assertEquals(Samples.parse(r.asString()), sample.get("body"));
        HeatStacks.show(stack).then().body("stack.stack_status", equalTo("UPDATE_IN_PROGRESS"))
                .body("stack.updated_time", not(nullValue()));
        awaitStatus(stack, "UPDATE_COMPLETE");
        HeatStacks.show(stack).then()
                .body("stack.parameters.reservation_id", equalTo("abc"))
                .body("stack.stack_status_reason", equalTo("Stack UPDATE completed successfully"))
                .body("stack.outputs.find { it.output_key == 'reservation_id' }.output_value", equalTo("abc"));
        given().header("X-Auth-Token", stack.token().id()).get(stack.path() + "/outputs/reservation_id")
                .then().statusCode(200).body("output.output_value", equalTo("abc"));
    }

    @Test
    void patchWithoutAcceptJsonGetsTheHtmlBody() {
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        JsonNode sample = response("02-stack-patch-no-accept.json");
        given().contentType("application/json").header("X-Auth-Token", stack.token().id())
                .body(Map.of("parameters", Map.of("reservation_id", "ghi"))).patch(stack.path())
                .then().statusCode(202).contentType(containsString("text/html"))
                .body(equalTo(sample.get("body").asText()));
    }

    @Test
    void patchDropsUndeclaredParameters() {
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        awaitStatus(stack, "CREATE_COMPLETE");
        HeatStacks.patch(stack, stack.token().id(),
                Map.of("parameters", Map.of("no_such_param", "x", "reservation_id", "jkl"))).then().statusCode(202);
        awaitStatus(stack, "UPDATE_COMPLETE");
        HeatStacks.show(stack).then().body("stack.parameters.reservation_id", equalTo("jkl"))
                .body("stack.parameters", not(org.hamcrest.Matchers.hasKey("no_such_param")));
    }

    @Test
    void patchByNameOnlyRedirectsAndChangesNothing() {
        JsonNode sample = response("02-stack-patch-by-name.json");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        awaitStatus(stack, "CREATE_COMPLETE");
        Response r = given().redirects().follow(false).contentType("application/json").accept("application/json")
                .header("X-Auth-Token", stack.token().id())
                .body(Map.of("parameters", Map.of("reservation_id", "by-name")))
                .patch(stack.stacks() + "/" + stack.name());
        r.then().statusCode(302).header("Location", equalTo(stack.url()));
        assertSameShape(sample.get("body"), Samples.parse(r.asString()), "302 body");
        HeatStacks.show(stack).then().body("stack.stack_status", equalTo("CREATE_COMPLETE"))
                .body("stack.parameters.reservation_id", equalTo(""))
                .body("stack.updated_time", nullValue());
    }

    @Test
    void getByNameOrIdRedirectsToTheCanonicalUrl() {
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        for (String key : List.of(stack.name(), stack.id())) {
            given().redirects().follow(false).header("X-Auth-Token", stack.token().id()).get(stack.stacks() + "/" + key)
                    .then().statusCode(302).header("Location", equalTo(stack.url()));
        }
    }

    @Test
    void putWithUndeclaredParameterAnswers400UnknownUserParameter() {
        JsonNode sample = response("02-stack-put-unknown-param.json");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        Response r = given().contentType("application/json").accept("application/json")
                .header("X-Auth-Token", stack.token().id())
                .body(Map.of("parameters", Map.of("no_such_param", "x"))).put(stack.path());
        r.then().statusCode(400);
        assertEquals(sample.get("body"), Samples.parse(r.asString()));
    }

    @Test
    void createWithUndeclaredParameterAnswers400() {
        HeatStacks.post(TestTokens.demo(), Map.of("parameters", Map.of("no_such_param", "x")))
                .then().statusCode(400).body("error.type", equalTo("UnknownUserParameter"));
    }

    @Test
    void patchOfAnUnknownStackAnswers404EntityNotFound() {
        JsonNode sample = response("02-stack-patch-404.json");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        HeatStacks.Created missing = new HeatStacks.Created(stack.name(), "00000000-0000-0000-0000-000000000000",
                stack.url(), stack.token());
        Response r = HeatStacks.patch(missing, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "x")));
        r.then().statusCode(404);
        assertEquals(Samples.parse(sample.get("body").toString().replace("smoke8387-res", stack.name())),
                Samples.parse(r.asString()));
    }

    @Test
    void patchWithImpersonatingTrustIsAcceptedAndKeepsTheOwner() {
        TestTokens.Scoped demo = TestTokens.demo();
        HeatStacks.Created stack = HeatStacks.create(demo, Map.of("initialize", true));
        TestTokens.Scoped trustToken = TestTokens.trustToken(TestTokens.trust(demo, true));
        HeatStacks.patch(stack, trustToken.id(), Map.of("parameters", Map.of("reservation_id", "via-trust")))
                .then().statusCode(202);
        awaitStatus(stack, "UPDATE_COMPLETE");
        HeatStacks.show(stack).then().body("stack.stack_owner", equalTo("demo"))
                .body("stack.parameters.reservation_id", equalTo("via-trust"));
    }

    @Test
    void patchWithNonImpersonatingTrustFailsWithMissingCredentialError() {
        JsonNode sample = response("03-trust-noimp-patch.json");
        TestTokens.Scoped demo = TestTokens.demo();
        HeatStacks.Created stack = HeatStacks.create(demo, Map.of("initialize", true));
        TestTokens.Scoped trustToken = TestTokens.trustToken(TestTokens.trust(demo, false));
        Response r = HeatStacks.patch(stack, trustToken.id(), Map.of("parameters", Map.of("reservation_id", "x")));
        r.then().statusCode(400).body("error.message", containsString("Missing required credential: roles"));
        assertSameShape(sample.get("body"), Samples.parse(r.asString()), "error body");
        assertSameShape(sample.at("/body/error"), Samples.parse(r.asString()).get("error"), "error");
        assertEquals("MissingCredentialError", Samples.parse(r.asString()).at("/error/type").asText());
    }

    @Test
    void createWithTrustScopedTokenFailsUnlessTheTrustAllowsRedelegation() {
        JsonNode sample = response("03-trust-create-stack.json");
        TestTokens.Scoped demo = TestTokens.demo();
        TestTokens.Scoped trustToken = TestTokens.trustToken(TestTokens.trust(demo, true));
        Response r = HeatStacks.post(trustToken, Map.of());
        r.then().statusCode(500);
        assertEquals(sample.get("body"), Samples.parse(r.asString()));
    }

    @Test
    void patchWhileUpdateInProgressIsAcceptedOnConvergenceAndTheLaterUpdateWins() {
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of("initialize", true));
        HeatStacks.patch(stack, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "one")))
                .then().statusCode(202);
        HeatStacks.patch(stack, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "two")))
                .then().statusCode(202);
        awaitStatus(stack, "UPDATE_COMPLETE");
        HeatStacks.show(stack).then().body("stack.outputs.find { it.output_key == 'reservation_id' }.output_value",
                equalTo("two"));
    }

    @Test
    void deleteAnswers204ThenTheStackIsGoneFromListsAndNames() {
        JsonNode sample = response("02-stack-delete.json");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        given().header("X-Auth-Token", stack.token().id()).delete(stack.path())
                .then().statusCode(sample.get("status").asInt()).body(equalTo(""));
        awaitStatus(stack, "DELETE_COMPLETE");
        given().header("X-Auth-Token", stack.token().id()).queryParam("name", stack.name()).get(stack.stacks())
                .then().body("stacks", org.hamcrest.Matchers.empty());
        HeatStacks.patch(stack, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "x")))
                .then().statusCode(404);
    }

    @Test
    void listFiltersByNameAndHasTheListItemShape() {
        JsonNode sample = response("02-stack-list-by-name.json").at("/body/stacks/0");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of());
        HeatStacks.create(stack.token(), Map.of());
        Response r = given().header("X-Auth-Token", stack.token().id()).queryParam("name", stack.name()).get(stack.stacks());
        r.then().statusCode(200).body("stacks.size()", equalTo(1));
        JsonNode item = Samples.parse(r.asString()).at("/stacks/0");
        assertEquals(Samples.orderedKeys(sample), Samples.orderedKeys(item));
        assertSameShape(sample, item, "list item");
        given().header("X-Auth-Token", stack.token().id()).queryParam("tags", "nope").get(stack.stacks())
                .then().body("stacks.id", not(hasItem(stack.id())));
    }

    @Test
    void validateDescribesTheParametersOfAYamlTemplate() {
        JsonNode sample = Samples.json("heat/template-validate-response.json");
        TestTokens.Scoped demo = TestTokens.demo();
        Response r = given().contentType("application/json").header("X-Auth-Token", demo.id())
                .body(Map.of("template", HeatStacks.TEMPLATE)).post("/orchestration/v1/" + demo.projectId() + "/validate");
        r.then().statusCode(200)
                .body("Description", equalTo("leaseflow smoke - reservation_id parameter, no Nova/Neutron"))
                .body("Parameters.reservation_id.type", equalTo("String"))
                .body("Parameters.reservation_id.default", equalTo(""));
        assertEquals(Samples.keys(sample), Samples.keys(Samples.parse(r.asString())));
    }

    @Test
    void callsWithoutTokenAnswer401AndForAnotherProject403() {
        TestTokens.Scoped demo = TestTokens.demo();
        given().get("/orchestration/v1/" + demo.projectId() + "/stacks")
                .then().statusCode(401).header("WWW-Authenticate", containsString("/identity/v3"))
                .body("error.title", equalTo("Unauthorized"));
        given().header("X-Auth-Token", TestTokens.service().id()).get("/orchestration/v1/" + demo.projectId() + "/stacks")
                .then().statusCode(403).body("error.type", equalTo("Forbidden"));
    }
}
