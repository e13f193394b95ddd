package io.leaseflow.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The header names dead-letter writers use, and how headers and payloads are shown as text. */
public final class DeadLetterHeaders {
    /** SmallRye's {@code dead-letter-queue} failure strategy. */
    public static final String SMALLRYE_REASON = "dead-letter-reason";
    public static final String SMALLRYE_TOPIC = "dead-letter-topic";
    public static final String SMALLRYE_PARTITION = "dead-letter-partition";
    public static final String SMALLRYE_OFFSET = "dead-letter-offset";
    /** leaseflow's own writers (lease-watcher's notification dead letters). */
    public static final String REASON = "leaseflow-dlq-reason";
    public static final String ORIGIN = "leaseflow-dlq-origin";
    public static final String MESSAGE_ID = "leaseflow-dlq-message-id";
    /** Where SmallRye keeps the bytes of a value it could not deserialize. */
    static final List<String> ORIGINAL_VALUE = List.of("deserialization-failure-value-data",
            "deserialization-failure-data");
    static final String BASE64_PREFIX = "base64:";

    private DeadLetterHeaders() {
    }

    /** Last value of each header, as text. */
    public static Map<String, String> toMap(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header h : headers) {
            map.put(h.key(), h.value() == null ? "" : text(h.value()).orElseGet(
                    () -> BASE64_PREFIX + Base64.getEncoder().encodeToString(h.value())));
        }
        return map;
    }

    /** The bytes as a string if they are valid UTF-8. */
    public static Optional<String> text(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
