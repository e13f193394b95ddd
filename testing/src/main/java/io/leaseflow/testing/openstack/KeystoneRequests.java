package io.leaseflow.testing.openstack;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Keystone v3 request bodies as clients send them, and what clients read back, for tests and the demo. */
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

    /** The public endpoint URL of a service type in a token response's catalog. */
    public static String publicEndpoint(JsonNode tokenBody, String type) {
        for (JsonNode service : tokenBody.at("/token/catalog")) {
            if (type.equals(service.path("type").asText())) {
                for (JsonNode ep : service.path("endpoints")) {
                    if ("public".equals(ep.path("interface").asText())) {
                        return ep.path("url").asText();
                    }
                }
            }
        }
        throw new IllegalStateException("no public " + type + " endpoint in the catalog");
    }

    private static Map<String, Object> auth(String user, String password, Map<String, Object> scope) {
        return Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user",
                        Map.of("name", user, "domain", Map.of("name", "Default"), "password", password))),
                "scope", scope));
    }
}
