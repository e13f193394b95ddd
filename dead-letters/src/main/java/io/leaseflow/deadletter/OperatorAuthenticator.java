package io.leaseflow.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.openstack.KeystoneSession;
import io.smallrye.mutiny.Uni;

/**
 * Lets operators in: a Keystone token (validated by Keystone) with one of {@code leaseflow.operator.roles}, or the
 * configured {@code leaseflow.operator.secret}, compared in constant time. 401 without valid credentials, 403 for a
 * valid token without the role.
 */
@ApplicationScoped
public class OperatorAuthenticator {
    private static final String BEARER = "Bearer ";
    private final OperatorConfig config;
    private final KeystoneSession keystone;

    public OperatorAuthenticator(OperatorConfig config, KeystoneSession keystone) {
        this.config = config;
        this.keystone = keystone;
    }

    public Uni<Operator> authenticate(String authorization, String keystoneToken) {
        if (authorization != null && authorization.startsWith(BEARER)) {
            if (config.secret().isPresent() && !config.secret().get().isEmpty()
                    && sameSecret(authorization.substring(BEARER.length()), config.secret().get())) {
                return Uni.createFrom().item(new Operator("operator-secret"));
            }
            return Uni.createFrom().failure(DeadLetterProblem.unauthorized("authentication-failed",
                    "Authentication failed", "the operator secret does not match (or none is configured)"));
        }
        if (keystoneToken != null && !keystoneToken.isBlank()) {
            return keystone.validate(keystoneToken).map(found -> {
                var token = found.orElseThrow(() -> DeadLetterProblem.unauthorized("authentication-failed",
                        "Authentication failed", "Keystone does not accept this token"));
                if (token.roles().stream().noneMatch(config.roles()::contains)) {
                    throw DeadLetterProblem.of(403, "forbidden", "Forbidden",
                            "the token carries none of the roles " + config.roles());
                }
                return new Operator("keystone:" + token.userId());
            });
        }
        return Uni.createFrom().failure(DeadLetterProblem.unauthorized("authentication-required",
                "Authentication required", "send X-Auth-Token with an admin token, or Authorization: Bearer "
                        + "<operator secret>"));
    }

    private static boolean sameSecret(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
