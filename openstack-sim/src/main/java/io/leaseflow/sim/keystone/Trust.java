package io.leaseflow.sim.keystone;

import io.leaseflow.sim.keystone.IdentityDirectory.Role;

import java.time.Instant;
import java.util.List;

/** A Keystone trust: the trustee may act in the trustor's project with the delegated roles. */
public record Trust(String id, String trustorUserId, String trusteeUserId, String projectId, boolean impersonation,
                   List<Role> roles, Instant expiresAt, boolean allowRedelegation, int redelegationCount,
                   Integer remainingUses) {

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
