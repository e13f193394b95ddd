package io.leaseflow.sim.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leaseflow.sim.OpenStackTimes;
import io.leaseflow.sim.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte-for-byte agreement with what real oslo.messaging put on RabbitMQ (samples/blazar/wire). */
class OsloNotificationSerializerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "chameleon-001-lease.create.body",
            "chameleon-002-lease.update.body",
            "chameleon-003-lease.delete.body",
            "chameleon-004-lease.event.start_lease.body",
            "chameleon-005-lease.event.before_end_lease.body",
            "chameleon-006-lease.event.end_lease.body",
            "chameleon-007-lease.event.before_end_lease.stop.body",
            "upstream-001-lease.create.body",
            "upstream-002-lease.update.body",
            "upstream-003-lease.delete.body",
            "upstream-004-lease.event.start_lease.body",
            "upstream-005-lease.event.before_end_lease.body",
            "upstream-006-lease.event.end_lease.body",
            "upstream-007-lease.event.before_end_lease.stop.body",
            "upstream-unicode-001-lease.event.start_lease.body"})
    @SuppressWarnings("unchecked")
    void rebuiltNotificationSerializesToTheCapturedBytes(String file) throws Exception {
        String captured = new String(Samples.bytes("blazar/wire/" + file), StandardCharsets.UTF_8);
        Map<String, Object> envelope = MAPPER.readValue(captured, LinkedHashMap.class);
        Map<String, Object> message = MAPPER.readValue((String) envelope.get("oslo.message"), LinkedHashMap.class);
        Map<String, Object> context = new LinkedHashMap<>();
        message.forEach((k, v) -> {
            if (k.startsWith("_context_")) {
                context.put(k.substring("_context_".length()), v);
            }
        });
        OsloNotification notification = new OsloNotification((String) message.get("message_id"),
                (String) message.get("publisher_id"), (String) message.get("event_type"), (String) message.get("priority"),
                (Map<String, Object>) message.get("payload"), (String) message.get("timestamp"),
                (String) message.get("_unique_id"), context);

        assertEquals(captured, OsloNotificationSerializer.serialize(notification));
    }

    @ParameterizedTest
    @ValueSource(strings = {"upstream-unicode-001-lease.event.start_lease.body",
            "v1-driver-messaging-001-lease.event.start_lease.body", "upstream-006-lease.event.end_lease.body"})
    void pythonJsonReproducesAnyCapturedBody(String file) throws Exception {
        String captured = new String(Samples.bytes("blazar/wire/" + file), StandardCharsets.UTF_8);
        assertEquals(captured, PythonJson.dumps(MAPPER.readValue(captured, LinkedHashMap.class)));
    }

    @Test
    void nonAsciiIsEscapedTwiceInsideTheEnvelope() {
        OsloNotification n = new OsloNotification("m", "blazar.lease", "lease.create", "INFO",
                Map.of("name", "lease_\u00e9\u2713"), "2026-11-25 13:08:02.414382", "u", Map.of());
        String body = OsloNotificationSerializer.serialize(n);
        assertEquals(true, body.contains("lease_\\\\u00e9\\\\u2713"), body);
    }

    @Test
    void pythonEscapesControlCharactersQuotesAndAstralCharacters() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u007f\\ud83d\\ude00\"", PythonJson.dumps("a\"b\\c\n\u0001\u007f\uD83D\uDE00"));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", java.util.Arrays.asList(1, 2.5, true, null));
        map.put("b", Map.of());
        assertEquals("{\"a\": [1, 2.5, true, null], \"b\": {}}", PythonJson.dumps(map));
    }

    @Test
    void timestampDropsTheFractionWhenMicrosecondsAreZeroLikePythonStr() {
        assertEquals("2026-11-25 13:07:54", OpenStackTimes.pythonStr(Instant.parse("2026-11-25T13:07:54Z")));
        assertEquals("2026-11-25 13:07:54.619030", OpenStackTimes.pythonStr(Instant.parse("2026-11-25T13:07:54.619030Z")));
    }
}
