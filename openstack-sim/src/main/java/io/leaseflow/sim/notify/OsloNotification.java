package io.leaseflow.sim.notify;

import java.util.Map;

/**
 * One oslo.messaging notification before serialization. {@code context} keys are written as
 * {@code _context_<key>} after {@code _unique_id}, like the AMQP driver does.
 */
public record OsloNotification(String messageId, String publisherId, String eventType, String priority,
                               Map<String, Object> payload, String timestamp, String uniqueId,
                               Map<String, Object> context) {
}
