package io.leaseflow.openstack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** A Keystone token and what its body says: who, which project, which roles, until when, and the catalog. */
public record KeystoneToken(String value, String userId, String projectId, List<String> roles, Instant expiresAt,
        JsonNode catalog) {

    public static KeystoneToken from(String value, JsonNode body) {
        JsonNode token = body.path("token");
        List<String> roles = new ArrayList<>();
        token.path("roles").forEach(r -> roles.add(r.path("name").asText()));
        String expires = token.path("expires_at").asText(null);
        return new KeystoneToken(value, token.path("user").path("id").asText(null),
                token.path("project").path("id").asText(null), List.copyOf(roles),
                expires == null ? Instant.MAX : Instant.parse(expires), token.path("catalog"));
    }

    /** The URL of the first endpoint of this service type, interface and (if given) region. */
    public Optional<String> endpoint(String serviceType, String endpointInterface, Optional<String> region) {
        for (JsonNode service : catalog) {
            if (!serviceType.equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode ep : service.path("endpoints")) {
                boolean interfaceMatches = endpointInterface.equals(ep.path("interface").asText());
                boolean regionMatches = region.map(r -> r.equals(ep.path("region_id").asText())
                        || r.equals(ep.path("region").asText())).orElse(true);
                if (interfaceMatches && regionMatches) {
                    return Optional.of(stripTrailingSlash(ep.path("url").asText()));
                }
            }
        }
        return Optional.empty();
    }

    public boolean expiresWithin(long seconds) {
        return Instant.now().plusSeconds(seconds).isAfter(expiresAt);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Never print the token itself. */
    @Override
    public String toString() {
        return "KeystoneToken[user=" + userId + ", project=" + projectId + ", expires=" + expiresAt + "]";
    }
}
