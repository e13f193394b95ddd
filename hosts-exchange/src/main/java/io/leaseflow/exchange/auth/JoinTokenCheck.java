package io.leaseflow.exchange.auth;

import java.util.List;
import java.util.Map;

import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;

/** Checks the {@code Authorization: Bearer <join token>} a group's members and owner present. */
public final class JoinTokenCheck {

    private static final String BEARER = "bearer ";

    private JoinTokenCheck() {
    }

    public static void require(String authorizationHeader, byte[] joinTokenHash) {
        String token = bearerToken(authorizationHeader);
        if (!SecretTokens.matches(token, joinTokenHash)) {
            throw new ProblemException(ProblemType.INVALID_JOIN_TOKEN,
                    token == null ? "Send the group's join token as 'Authorization: Bearer <token>'."
                            : "The join token does not belong to this group.",
                    List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"leaseflow-exchange\""));
        }
    }

    static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
