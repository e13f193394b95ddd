package io.leaseflow.launcher.stacks;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.openstack.KeystoneToken;
import io.smallrye.mutiny.Uni;

/** Every API call carries the user's Keystone token; Keystone says who and which project. */
@ApplicationScoped
public class UserTokens {
    private final KeystoneSession keystone;

    public UserTokens(KeystoneSession keystone) {
        this.keystone = keystone;
    }

    public Uni<KeystoneToken> require(String userToken) {
        if (userToken == null || userToken.isBlank()) {
            return Uni.createFrom().failure(new ProblemException(401, "token-required", "Authentication required",
                    "send a Keystone token in X-Auth-Token"));
        }
        return keystone.validate(userToken.trim())
                .onFailure(f -> !(f instanceof ProblemException)).transform(f -> new ProblemException(503,
                        "keystone-unavailable", "Keystone unavailable", "the token could not be validated now"))
                .map(found -> found.orElseThrow(() -> new ProblemException(401, "token-invalid", "Invalid token",
                        "Keystone does not accept this token")));
    }
}
