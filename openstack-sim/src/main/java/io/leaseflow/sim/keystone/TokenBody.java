package io.leaseflow.sim.keystone;

import io.leaseflow.sim.OpenStackTimes;
import io.leaseflow.sim.keystone.IdentityDirectory.Role;
import io.leaseflow.sim.keystone.IdentityDirectory.User;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code {"token": {...}}} body, keys in the order Keystone 22 writes them. */
@ApplicationScoped
public class TokenBody {

    private final ServiceCatalog catalog;

    public TokenBody(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    public Map<String, Object> render(Token token, String base, boolean withCatalog) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("methods", token.methods());
        body.put("user", user(token.user()));
        body.put("audit_ids", List.of(token.auditId()));
        body.put("expires_at", OpenStackTimes.format(token.expiresAt(), OpenStackTimes.KEYSTONE));
        body.put("issued_at", OpenStackTimes.format(token.issuedAt(), OpenStackTimes.KEYSTONE));
        if (token.trust() != null) {
            Map<String, Object> trust = new LinkedHashMap<>();
            trust.put("id", token.trust().id());
            trust.put("trustor_user", Map.of("id", token.trust().trustorUserId()));
            trust.put("trustee_user", Map.of("id", token.trust().trusteeUserId()));
            trust.put("impersonation", token.trust().impersonation());
            body.put("OS-TRUST:trust", trust);
        }
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("domain", IdentityDirectory.domainJson());
        project.put("id", token.project().id());
        project.put("name", token.project().name());
        body.put("project", project);
        if (token.trust() == null) {
            // Keystone 22 leaves is_domain out of trust-scoped tokens.
            body.put("is_domain", false);
        }
        body.put("roles", token.roles().stream().map(r -> role(r, token.trust() != null)).toList());
        if (withCatalog) {
            body.put("catalog", catalog.build(base, token.project()));
        }
        return Map.of("token", body);
    }

    private static Map<String, Object> user(User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", IdentityDirectory.domainJson());
        json.put("id", user.id());
        json.put("name", user.name());
        json.put("password_expires_at", null);
        return json;
    }

    /** Trust-scoped tokens carry the full role refs; password tokens only id and name. */
    static Map<String, Object> role(Role role, boolean full) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", role.id());
        json.put("name", role.name());
        if (full) {
            json.put("domain_id", null);
            json.put("description", null);
            json.put("options", Map.of("immutable", true));
        }
        return json;
    }
}
