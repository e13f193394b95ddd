package io.leaseflow.launcher.heat;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.EventJson;

/**
 * Reads the two error shapes in front of a plan: heat-api's {@code {"code", "title", "explanation", "error":
 * {"type", "traceback", "message"}}} (a 500 may carry no message) and keystonemiddleware's 401
 * {@code {"error": {"code", "title", "message"}}}.
 */
public final class HeatErrors {
    private static final int MAX = 500;

    private HeatErrors() {
    }

    /** A one-line reason: {@code "<type or title>: <message>"}, never a traceback. */
    public static String reason(int status, String body) {
        String detail = detail(body);
        return "Heat answered " + status + (detail.isEmpty() ? "" : ": " + detail);
    }

    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = EventJson.mapper().readTree(body);
            JsonNode error = json.path("error");
            if (error.isObject() && error.has("type")) {
                String type = error.path("type").asText("");
                String message = error.path("message").asText("");
                if (message.isEmpty()) {
                    message = json.path("explanation").asText("");
                }
                return clip((type + ": " + message).replaceAll(":\\s*$", ""));
            }
            if (error.isObject() && error.has("title")) {
                return clip(error.path("title").asText("") + ": " + error.path("message").asText(""));
            }
            return clip(json.toString());
        } catch (Exception notJson) {
            return clip(body.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim());
        }
    }

    private static String clip(String s) {
        return s.length() > MAX ? s.substring(0, MAX) + "..." : s;
    }
}
