package io.leaseflow.watcher.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.openstack.KeystoneSession;
import io.leaseflow.watcher.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** Accepts the configured shared secret or a Keystone token with an allowed role; refuses everything else. */
@ApplicationScoped
public class WebhookAuthenticator {
    private final WebhookConfig config;
    private final KeystoneSession keystone;

    public WebhookAuthenticator(WebhookConfig config, KeystoneSession keystone) {
        this.config = config;
        this.keystone = keystone;
    }

    public Uni<Void> authenticate(String authorization, String keystoneToken) {
        if (authorization != null && authorization.startsWith("Bearer ") && config.sharedSecret().isPresent()) {
            if (sameSecret(authorization.substring("Bearer ".length()), config.sharedSecret().get())) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().failure(refused("the shared secret does not match"));
        }
        if (keystoneToken != null && !keystoneToken.isBlank()) {
            return keystone.validate(keystoneToken).map(token -> token
                    .filter(t -> t.roles().stream().anyMatch(config.allowedRoles()::contains))
                    .orElseThrow(() -> refused("Keystone does not accept this token, or it lacks one of the roles "
                            + config.allowedRoles())))
                    .replaceWithVoid();
        }
        return Uni.createFrom().failure(new ProblemException(401, "authentication-required",
                "Authentication required", "send Authorization: Bearer <shared secret> or X-Auth-Token"));
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(401, "authentication-failed", "Authentication failed", detail);
    }

    private static boolean sameSecret(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
