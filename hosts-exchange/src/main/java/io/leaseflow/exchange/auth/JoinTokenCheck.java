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

    private static final java.util.regex.Pattern CHOSEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{32,128}");

    /** A join token a group's creator chose (idempotent create): present, and long and random-looking enough. */
    public static String chosenToken(String authorizationHeader) {
        String token = bearerToken(authorizationHeader);
        if (token == null) {
            throw new ProblemException(ProblemType.INVALID_JOIN_TOKEN,
                    "Send the join token you chose for the group as 'Authorization: Bearer <token>'.",
                    List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"leaseflow-exchange\""));
        }
        if (!CHOSEN.matcher(token).matches()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A chosen join token must be 32-128 characters"
                    + " of [A-Za-z0-9_-], e.g. 32 random bytes in base64url.");
        }
        return token;
    }

    static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
