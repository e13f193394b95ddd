package io.leaseflow.launcher.timeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.launcher.problem.ProblemException;
import io.leaseflow.launcher.stacks.UserTokens;
import io.smallrye.mutiny.Uni;

/**
 * Who reads a timeline: an operator (the configured secret as {@code Authorization: Bearer}) or a Keystone token with
 * an admin role reads any lease's; any other valid token only the timeline of its own project's lease.
 */
@ApplicationScoped
public class TimelineAccess {
    private final TimelineConfig config;
    private final UserTokens users;

    public TimelineAccess(TimelineConfig config, UserTokens users) {
        this.config = config;
        this.users = users;
    }

    /** {@code projectId} is null for operators and admins (they see every project's plans). */
    public record Reader(boolean admin, String projectId) {
    }

    public Uni<Reader> authenticate(String authorization, String keystoneToken) {
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String given = authorization.substring("Bearer ".length());
            if (config.operatorSecret().isPresent() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    config.operatorSecret().get().getBytes(StandardCharsets.UTF_8))) {
                return Uni.createFrom().item(new Reader(true, null));
            }
            return Uni.createFrom().failure(new ProblemException(401, "authentication-failed",
                    "Authentication failed", "the operator secret does not match"));
        }
        return users.require(keystoneToken).map(token -> token.roles().stream().anyMatch(config.adminRoles()::contains)
                ? new Reader(true, null) : new Reader(false, token.projectId()));
    }
}
