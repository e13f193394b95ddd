package io.leaseflow.sim.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.leaseflow.sim.Samples.assertSameShape;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class KeystoneConformanceTest {

    private static final JsonNode DEMO_TOKEN = Samples.json("heat-real/01-keystone-token-demo.json").at("/response/body/token");

    private static Response passwordAuth(Object user, Object scope, String password) {
        return given().contentType("application/json")
                .body(Map.of("auth", Map.of("identity", Map.of("methods", new String[]{"password"},
                        "password", Map.of("user", user instanceof Map<?, ?> u ? withPassword(u, password) : user)),
                        "scope", scope)))
                .post("/identity/v3/auth/tokens");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withPassword(Map<?, ?> user, String password) {
        Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) user);
        m.put("password", password);
        return m;
    }

    @Test
    void passwordAuthAnswers201WithSubjectTokenAndABodyShapedLikeKeystone22() {
        Response r = passwordAuth(Map.of("name", "demo", "domain", Map.of("id", "default")),
                Map.of("project", Map.of("name", "demo", "domain", Map.of("id", "default"))), "secret");
        r.then().statusCode(201).header("X-Subject-Token", notNullValue())
                .contentType(containsString("application/json"));
        JsonNode token = Samples.parse(r.asString()).get("token");

        assertEquals(Samples.orderedKeys(DEMO_TOKEN), Samples.orderedKeys(token));
        assertSameShape(DEMO_TOKEN, token, "token");
        assertSameShape(DEMO_TOKEN.get("user"), token.get("user"), "token.user");
        assertSameShape(DEMO_TOKEN.get("project"), token.get("project"), "token.project");
        assertSameShape(DEMO_TOKEN.at("/project/domain"), token.at("/project/domain"), "token.project.domain");
        assertSameShape(DEMO_TOKEN.at("/roles/0"), token.at("/roles/0"), "token.roles[0]");
        assertSameShape(DEMO_TOKEN.at("/catalog/0"), token.at("/catalog/0"), "token.catalog[0]");
        assertSameShape(DEMO_TOKEN.at("/catalog/0/endpoints/0"), token.at("/catalog/0/endpoints/0"), "endpoint");
        assertTrue(token.get("expires_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000000Z"));
        assertEquals("member", token.at("/roles/0/name").asText());
    }

    @Test
    void catalogHasIdentityReservationAndProjectScopedOrchestrationOnAllInterfaces() {
        Response r = passwordAuth(Map.of("name", "demo", "domain", Map.of("name", "Default")),
                Map.of("project", Map.of("name", "demo", "domain", Map.of("name", "Default"))), "secret");
        String projectId = r.path("token.project.id");
        r.then().statusCode(201)
                .body("token.catalog.find { it.type == 'orchestration' }.endpoints.url",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.endsWith("/orchestration/v1/" + projectId)))
                .body("token.catalog.find { it.type == 'reservation' }.endpoints.url",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.endsWith("/reservation/v1")))
                .body("token.catalog.find { it.type == 'identity' }.endpoints.url",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.endsWith("/identity/v3")))
                .body("token.catalog.find { it.type == 'orchestration' }.endpoints.interface",
                        org.hamcrest.Matchers.containsInAnyOrder("public", "internal", "admin"))
                .body("token.catalog.endpoints.flatten().region.unique()", equalTo(java.util.List.of("RegionOne")));
    }

    @Test
    void userAndProjectMayBeGivenById() {
        TestTokens.Scoped demo = TestTokens.demo();
        passwordAuth(Map.of("id", demo.userId()), Map.of("project", Map.of("id", demo.projectId())), "secret")
                .then().statusCode(201).body("token.user.name", equalTo("demo"));
    }

    @Test
    void wrongPasswordAnswers401LikeKeystonemiddleware() {
        JsonNode sample = Samples.json("heat-real/03-trust-token-after-revoke.json").at("/response");
        Response r = passwordAuth(Map.of("name", "demo", "domain", Map.of("id", "default")),
                Map.of("project", Map.of("name", "demo", "domain", Map.of("id", "default"))), "wrong");
        r.then().statusCode(401).header("WWW-Authenticate", startsWith("Keystone uri=\""))
                .header("WWW-Authenticate", containsString("/identity/v3\""));
        JsonNode body = Samples.parse(r.asString());
        assertSameShape(sample.at("/body/error"), body.get("error"), "error");
        assertEquals(sample.at("/body/error/message").asText(), body.at("/error/message").asText());
    }

    @Test
    void tokenValidationAnswers200ForALiveTokenAnd404ForAnUnknownOne() {
        TestTokens.Scoped service = TestTokens.service();
        TestTokens.Scoped demo = TestTokens.demo();
        given().header("X-Auth-Token", service.id()).header("X-Subject-Token", demo.id())
                .get("/identity/v3/auth/tokens")
                .then().statusCode(200).header("X-Subject-Token", demo.id()).body("token.user.name", equalTo("demo"));
        given().header("X-Auth-Token", service.id()).header("X-Subject-Token", "nope")
                .get("/identity/v3/auth/tokens")
                .then().statusCode(404).body("error.code", equalTo(404));
        given().header("X-Auth-Token", "nope").header("X-Subject-Token", demo.id())
                .get("/identity/v3/auth/tokens")
                .then().statusCode(401);
    }

    @Test
    void tokenAuthRescopesAnExistingToken() {
        TestTokens.Scoped demo = TestTokens.demo();
        given().contentType("application/json")
                .body(Map.of("auth", Map.of("identity", Map.of("methods", new String[]{"token"},
                        "token", Map.of("id", demo.id())))))
                .post("/identity/v3/auth/tokens")
                .then().statusCode(201).body("token.user.name", equalTo("demo"))
                .body("token.project.id", equalTo(demo.projectId()));
    }

    @Test
    void impersonatingTrustTokenActsAsTheTrustorInTheTrustorsProject() {
        JsonNode sample = Samples.json("heat-real/03-trust-token.json").at("/response/body/token");
        JsonNode trustSample = Samples.json("heat-real/03-trust-create.json").at("/response/body/trust");
        TestTokens.Scoped demo = TestTokens.demo();
        String trustId = TestTokens.trust(demo, true);
        JsonNode trust = Samples.parse(given().header("X-Auth-Token", demo.id())
                .get("/identity/v3/OS-TRUST/trusts/" + trustId).then().statusCode(200).extract().asString()).get("trust");
        assertSameShape(trustSample, trust, "trust");
        assertSameShape(trustSample.at("/roles/0"), trust.at("/roles/0"), "trust.roles[0]");

        Response r = given().contentType("application/json")
                .body(Map.of("auth", Map.of("identity", Map.of("methods", new String[]{"password"},
                                "password", Map.of("user", Map.of("name", "leaseflow", "domain", Map.of("id", "default"),
                                        "password", "leaseflow-secret"))),
                        "scope", Map.of("OS-TRUST:trust", Map.of("id", trustId)))))
                .post("/identity/v3/auth/tokens");
        r.then().statusCode(201);
        JsonNode token = Samples.parse(r.asString()).get("token");
        assertEquals(Samples.orderedKeys(sample), Samples.orderedKeys(token));
        assertSameShape(sample.get("OS-TRUST:trust"), token.get("OS-TRUST:trust"), "OS-TRUST:trust");
        assertSameShape(sample.at("/roles/0"), token.at("/roles/0"), "roles[0]");
        assertEquals(demo.userId(), token.at("/user/id").asText());
        assertEquals(demo.projectId(), token.at("/project/id").asText());
    }

    @Test
    void nonImpersonatingTrustTokenActsAsTheTrustee() {
        TestTokens.Scoped demo = TestTokens.demo();
        TestTokens.Scoped token = TestTokens.trustToken(TestTokens.trust(demo, false));
        assertEquals(TestTokens.service().userId(), token.userId());
        assertEquals(demo.projectId(), token.projectId());
    }

    @Test
    void deletedTrustGivesNoNewTokensAndVoidsItsTokens() {
        TestTokens.Scoped demo = TestTokens.demo();
        String trustId = TestTokens.trust(demo, true);
        TestTokens.Scoped trustToken = TestTokens.trustToken(trustId);
        given().header("X-Auth-Token", demo.id()).delete("/identity/v3/OS-TRUST/trusts/" + trustId)
                .then().statusCode(204);
        given().header("X-Auth-Token", demo.id()).get("/identity/v3/OS-TRUST/trusts/" + trustId)
                .then().statusCode(404);
        given().contentType("application/json")
                .body(Map.of("auth", Map.of("identity", Map.of("methods", new String[]{"password"},
                                "password", Map.of("user", Map.of("name", "leaseflow", "domain", Map.of("id", "default"),
                                        "password", "leaseflow-secret"))),
                        "scope", Map.of("OS-TRUST:trust", Map.of("id", trustId)))))
                .post("/identity/v3/auth/tokens")
                .then().statusCode(401).body("error.title", equalTo("Unauthorized"));
        given().header("X-Auth-Token", trustToken.id())
                .get("/orchestration/v1/" + demo.projectId() + "/stacks")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Keystone uri="));
    }

    @Test
    void trustorMustBeTheAuthenticatedUser() {
        TestTokens.Scoped demo = TestTokens.demo();
        TestTokens.Scoped service = TestTokens.service();
        given().contentType("application/json").header("X-Auth-Token", service.id())
                .body(Map.of("trust", Map.of("trustor_user_id", demo.userId(), "trustee_user_id", service.userId(),
                        "project_id", demo.projectId(), "impersonation", true, "roles", new Object[]{Map.of("name", "member")})))
                .post("/identity/v3/OS-TRUST/trusts")
                .then().statusCode(403);
    }
}
