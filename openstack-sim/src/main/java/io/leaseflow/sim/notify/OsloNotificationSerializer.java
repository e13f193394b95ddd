package io.leaseflow.sim.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code messagingv2} driver's body: a v2.0 envelope whose {@code oslo.message} is itself a JSON string. */
public final class OsloNotificationSerializer {

    private OsloNotificationSerializer() {
    }

    public static String serialize(OsloNotification n) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("message_id", n.messageId());
        message.put("publisher_id", n.publisherId());
        message.put("event_type", n.eventType());
        message.put("priority", n.priority());
        message.put("payload", n.payload());
        message.put("timestamp", n.timestamp());
        message.put("_unique_id", n.uniqueId());
        if (n.context() != null) {
            n.context().forEach((key, value) -> message.put("_context_" + key, value));
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("oslo.version", "2.0");
        envelope.put("oslo.message", PythonJson.dumps(message));
        return PythonJson.dumps(envelope);
    }
}
