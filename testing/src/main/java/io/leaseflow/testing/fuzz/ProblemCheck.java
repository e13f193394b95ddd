package io.leaseflow.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What every refusal must look like: a 4xx with an RFC 9457 body whose {@code status} is the HTTP status. */
public final class ProblemCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemCheck() {
    }

    /** Why the reply is not a 4xx problem, or {@code null} if it is one. */
    public static String violation(HttpProbe.Reply reply) {
        if (reply.status() < 400 || reply.status() >= 500) {
            return "status " + reply.status() + " is not 4xx";
        }
        return shapeViolation(reply);
    }

    /** Why the reply is not an RFC 9457 problem (whatever its status), or {@code null} if it is one. */
    public static String shapeViolation(HttpProbe.Reply reply) {
        if (!reply.contentType().startsWith("application/problem+json")) {
            return "content type '" + reply.contentType() + "' is not application/problem+json";
        }
        try {
            JsonNode body = JSON.readTree(reply.body());
            if (body == null || !body.isObject()) {
                return "problem body is not a JSON object";
            }
            if (!body.path("title").isTextual() || body.path("title").asText().isBlank()) {
                return "problem has no title";
            }
            if (body.path("status").asInt(-1) != reply.status()) {
                return "problem status " + body.path("status") + " differs from HTTP " + reply.status();
            }
            if (!body.path("detail").isTextual() || body.path("detail").asText().isBlank()) {
                return "problem has no detail";
            }
            return null;
        } catch (java.io.IOException e) {
            return "problem body is not JSON: " + e.getMessage();
        }
    }

    /** Throws unless the reply is a 4xx problem. */
    public static void assertProblem(HttpProbe.Reply reply, String what) {
        String violation = violation(reply);
        if (violation != null) {
            throw new AssertionError(what + ": " + violation + "; body: " + abbreviate(reply.body()));
        }
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
