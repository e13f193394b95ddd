package io.leaseflow.testing.openstack;

import java.util.List;
import java.util.Map;

/** Keystone v3 request bodies as clients send them, for tests and the demo. */
public final class KeystoneRequests {
    private KeystoneRequests() {
    }

    /** Password auth of a user of domain Default, scoped to a project of domain Default. */
    public static Map<String, Object> passwordAuth(String user, String password, String project) {
        return auth(user, password, Map.of("project", Map.of("name", project, "domain", Map.of("name", "Default"))));
    }

    /** Password auth of a trustee, scoped to a trust. */
    public static Map<String, Object> trustAuth(String user, String password, String trustId) {
        return auth(user, password, Map.of("OS-TRUST:trust", Map.of("id", trustId)));
    }

    private static Map<String, Object> auth(String user, String password, Map<String, Object> scope) {
        return Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user",
                        Map.of("name", user, "domain", Map.of("name", "Default"), "password", password))),
                "scope", scope));
    }
}
