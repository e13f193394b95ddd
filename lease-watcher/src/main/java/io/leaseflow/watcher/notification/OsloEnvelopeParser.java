package io.leaseflow.watcher.notification;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads oslo.messaging notifications: v2 ({@code {"oslo.version": "2.0", "oslo.message": "<json string>"}}, the
 * inner message parsed a second time) and v1 (the message itself, no envelope).
 */
@ApplicationScoped
public class OsloEnvelopeParser {
    static final int MAX_BYTES = 1024 * 1024;
    private final ObjectMapper json;

    public OsloEnvelopeParser(ObjectMapper json) {
        this.json = json.copy();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    public BlazarNotification parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedNotificationException("empty message body");
        }
        if (body.length > MAX_BYTES) {
            throw new MalformedNotificationException("message of " + body.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode outer = readObject(decodeUtf8(body), "message body");
        JsonNode message = outer;
        if (outer.has("oslo.message")) {
            String version = outer.path("oslo.version").asText("");
            if (!version.startsWith("2.")) {
                throw new MalformedNotificationException("unsupported oslo.version '" + version + "'");
            }
            JsonNode inner = outer.get("oslo.message");
            if (!inner.isTextual()) {
                throw new MalformedNotificationException("oslo.message is not a JSON string");
            }
            message = readObject(inner.asText(), "oslo.message");
        }
        return toNotification(message);
    }

    private BlazarNotification toNotification(JsonNode message) {
        String eventType = requireText(message, "event_type");
        JsonNode payload = message.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new MalformedNotificationException("payload is missing or not an object");
        }
        return new BlazarNotification(message.path("message_id").asText(null), message.path("publisher_id").asText(""),
                eventType, message.path("priority").asText(""), payload, message.path("timestamp").asText(null));
    }

    private JsonNode readObject(String text, String what) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new MalformedNotificationException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedNotificationException(what + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedNotificationException("message body is not valid UTF-8", e);
        }
    }

    private static String requireText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MalformedNotificationException("'" + field + "' is missing");
        }
        return value.asText();
    }
}
