package io.leaseflow.sim.blazar;

import io.leaseflow.sim.OpenStackTimes;
import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.SimConfig.Blazar.PayloadStyle;
import io.leaseflow.sim.notify.NotificationPublisher;
import io.leaseflow.sim.notify.OsloNotification;
import io.leaseflow.sim.notify.OsloNotificationSerializer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Blazar's {@code _send_notification}: {@code lease.<event>} from publisher {@code blazar.lease}, priority INFO. */
@ApplicationScoped
public class LeaseNotifier {

    private static final Logger LOG = Logger.getLogger(LeaseNotifier.class);

    private final NotificationPublisher publisher;
    private final PayloadStyle style;
    /** The last body per lease and event type, so the control API can redeliver the very same message. */
    private final Map<String, String> lastBodies = new ConcurrentHashMap<>();
    /** Leases whose notifications are dropped, as Blazar's notifier drops them after a refused declare (§9.1). */
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();

    public LeaseNotifier(NotificationPublisher publisher, SimConfig config) {
        this.publisher = publisher;
        this.style = config.blazar().payload();
    }

    /** Builds and sends a fresh notification; {@code status} is the lease status upstream reports for it. */
    public String send(Lease lease, String eventType, String status) {
        Map<String, Object> payload;
        synchronized (lease) {
            payload = style == PayloadStyle.upstream ? LeaseJson.upstreamPayload(lease, status)
                    : LeaseJson.chameleonPayload(lease);
        }
        OsloNotification notification = new OsloNotification(UUID.randomUUID().toString(), "blazar.lease", eventType,
                "INFO", payload, OpenStackTimes.pythonStr(Instant.now()), UUID.randomUUID().toString().replace("-", ""),
                style == PayloadStyle.upstream ? upstreamContext(lease) : Map.of());
        String body = OsloNotificationSerializer.serialize(notification);
        lastBodies.put(key(lease.id, eventType), body);
        if (dropped.contains(lease.id)) {
            LOG.infof("lease %s: %s dropped (notifications of this lease are dropped)", lease.id, eventType);
            return body;
        }
        publisher.publish(eventType, body);
        LOG.infof("lease %s: sent %s (message_id %s)", lease.id, eventType, notification.messageId());
        return body;
    }

    /** Re-sends exactly what was sent before (same message_id), as a broker redelivery would. */
    public Optional<String> resend(String leaseId, String eventType) {
        String body = lastBodies.get(key(leaseId, eventType));
        if (body != null) {
            publisher.publish(eventType, body);
        }
        return Optional.ofNullable(body);
    }

    /** From now on the lease's notifications are built but never reach the broker. */
    public void drop(String leaseId) {
        dropped.add(leaseId);
    }

    private static String key(String leaseId, String eventType) {
        return leaseId + " " + eventType;
    }

    /** What upstream's trust context turns into once oslo.messaging has sanitized it (samples/blazar/wire). */
    private static Map<String, Object> upstreamContext(Lease lease) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("user", null);
        context.put("project_id", lease.projectId);
        context.put("system_scope", null);
        context.put("project", lease.projectId);
        context.put("domain", null);
        context.put("user_domain", null);
        context.put("project_domain", null);
        context.put("is_admin", false);
        context.put("read_only", false);
        context.put("show_deleted", false);
        context.put("auth_token", null);
        context.put("request_id", "req-" + UUID.randomUUID());
        context.put("global_request_id", null);
        context.put("resource_uuid", null);
        context.put("roles", List.of());
        context.put("user_identity", "- " + lease.projectId + " - - -");
        context.put("is_admin_project", true);
        context.put("service_catalog", List.of());
        return context;
    }
}
