package io.leaseflow.sim.keystone;

import io.leaseflow.sim.keystone.IdentityDirectory.Project;
import io.leaseflow.sim.keystone.IdentityDirectory.Role;
import io.leaseflow.sim.keystone.IdentityDirectory.User;

import java.time.Instant;
import java.util.List;

/**
 * An issued token. {@code user} is whom the token acts as (the trustor for an impersonating trust);
 * {@code authenticatedUser} is who actually logged in.
 */
public record Token(String id, User user, User authenticatedUser, Project project, List<Role> roles,
                    List<String> methods, Instant issuedAt, Instant expiresAt, String auditId, Trust trust) {

    public boolean hasRole(String name) {
        return roles.stream().anyMatch(r -> r.name().equals(name));
    }

    public boolean isAdmin() {
        return hasRole("admin");
    }
}
