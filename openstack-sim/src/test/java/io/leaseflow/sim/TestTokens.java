package io.leaseflow.sim;

import io.leaseflow.testing.openstack.KeystoneRequests;
import io.restassured.response.Response;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Obtains tokens from the simulator's Keystone the way a client would. */
public final class TestTokens {

    /** A scoped token and the project it is scoped to. */
    public record Scoped(String id, String projectId, String userId) {
    }

    private TestTokens() {
    }

    public static Scoped demo() {
        return password("demo", "secret", "demo");
    }

    public static Scoped service() {
        return password("leaseflow", "leaseflow-secret", "service");
    }

    public static Scoped password(String user, String password, String project) {
        Response r = given().contentType("application/json")
                .body(KeystoneRequests.passwordAuth(user, password, project))
                .post("/identity/v3/auth/tokens");
        r.then().statusCode(201);
        return new Scoped(r.header("X-Subject-Token"), r.path("token.project.id"), r.path("token.user.id"));
    }

    /** Trust from {@code trustor} to the service user, then a trust-scoped token for the service user. */
    public static String trust(Scoped trustor, boolean impersonation) {
        Scoped trustee = service();
        return given().contentType("application/json").header("X-Auth-Token", trustor.id())
                .body(Map.of("trust", Map.of("trustor_user_id", trustor.userId(), "trustee_user_id", trustee.userId(),
                        "project_id", trustor.projectId(), "impersonation", impersonation,
                        "roles", new Object[]{Map.of("name", "member")})))
                .post("/identity/v3/OS-TRUST/trusts")
                .then().statusCode(201).extract().path("trust.id");
    }

    public static Scoped trustToken(String trustId) {
        Response r = given().contentType("application/json")
                .body(KeystoneRequests.trustAuth("leaseflow", "leaseflow-secret", trustId))
                .post("/identity/v3/auth/tokens");
        r.then().statusCode(201);
        return new Scoped(r.header("X-Subject-Token"), r.path("token.project.id"), r.path("token.user.id"));
    }
}
