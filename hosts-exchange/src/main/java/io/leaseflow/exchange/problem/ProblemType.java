package io.leaseflow.exchange.problem;

import java.net.URI;

/** The stable problem types of this API; the URI is the contract, the title is for humans. */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
    INVALID_JOIN_TOKEN("invalid-join-token", "Missing or invalid join token", 401),
    MEMBER_SECRET_MISMATCH("member-secret-mismatch", "Member key already claimed", 403),
    GROUP_NOT_FOUND("group-not-found", "Group not found", 404),
    OUTPUT_NOT_FOUND("output-not-found", "Output not declared by the group", 404),
    GROUP_NOT_OPEN("group-not-open", "Group no longer accepts reports", 409),
    KEY_ALREADY_CLAIMED("key-already-claimed", "Member key already claimed by another writer", 409),
    GROUP_ID_TAKEN("group-id-taken", "Group id already holds another group", 409),
    CAPABILITY_NOT_FOUND("capability-not-found", "Unknown or revoked capability URL", 404),
    OUTPUT_TOO_LARGE("output-too-large", "Output value too large", 413),
    INVALID_REQUEST("invalid-request", "Request failed validation", 422),
    UNKNOWN_OUTPUT("unknown-output", "Output not declared by the group", 422),
    TOO_MANY_POLLS("too-many-polls", "Too many parked long-polls", 503);

    private static final String BASE = "https://leaseflow.io/problems/";

    private final URI type;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.type = URI.create(BASE + slug);
        this.title = title;
        this.status = status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** The type whose slug is given (as recorded with a rejected report), if any. */
    public static java.util.Optional<ProblemType> fromSlug(String slug) {
        for (ProblemType t : values()) {
            if (t.type.toString().equals(BASE + slug)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    public String slug() {
        return type.toString().substring(BASE.length());
    }

    public int status() {
        return status;
    }
}
