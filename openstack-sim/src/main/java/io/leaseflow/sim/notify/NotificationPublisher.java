package io.leaseflow.sim.notify;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.leaseflow.sim.SimConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends notification bodies to RabbitMQ the way oslo.messaging's rabbit driver does. One sender thread owns the
 * connection: bodies queue up while the broker is away and go out in order once it is back, so a broker that is
 * down never blocks startup or the lease clock.
 */
@ApplicationScoped
public class NotificationPublisher {

    private static final Logger LOG = Logger.getLogger(NotificationPublisher.class);
    public static final String ROUTING_KEY = "notifications.info";
    private static final int RECENT_LIMIT = 1000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** A notification as handed to the broker, kept for the control API. */
    public record Sent(String eventType, String body, Instant at) {
    }

    static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .deliveryMode(2)
            .priority(0)
            .headers(Map.of())
            .build();

    private final SimConfig.Amqp config;
    private final BlockingQueue<Sent> outbox = new LinkedBlockingQueue<>(100_000);
    private final Deque<Sent> recent = new ArrayDeque<>();
    private volatile Thread sender;
    private Connection connection;
    private Channel channel;

    public NotificationPublisher(SimConfig config) {
        this.config = config.amqp();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("AMQP publishing disabled (sim.amqp.enabled=false); notifications are only recorded");
            return;
        }
        Thread thread = new Thread(this::sendLoop, "oslo-notification-sender");
        thread.setDaemon(true);
        sender = thread;
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        Thread thread = sender;
        sender = null;
        if (thread != null) {
            thread.interrupt();
        }
        closeQuietly();
    }

    public void publish(String eventType, String body) {
        Sent sent = new Sent(eventType, body, Instant.now());
        synchronized (recent) {
            recent.addLast(sent);
            if (recent.size() > RECENT_LIMIT) {
                recent.removeFirst();
            }
        }
        if (config.enabled() && !outbox.offer(sent)) {
            LOG.errorf("Notification outbox full, dropping %s (oslo drops too when the broker refuses)", eventType);
        }
    }

    public List<Sent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private void sendLoop() {
        long backoffMillis = 250;
        Sent pending = null;
        while (sender != null) {
            try {
                if (pending == null) {
                    pending = outbox.poll(1, TimeUnit.SECONDS);
                    if (pending == null) {
                        continue;
                    }
                }
                ensureChannel().basicPublish(config.exchange(), ROUTING_KEY, PROPERTIES,
                        pending.body().getBytes(StandardCharsets.UTF_8));
                pending = null;
                backoffMillis = 250;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("Cannot publish to AMQP %s:%d (%s); retrying in %d ms", config.host(), config.port(),
                        e.toString(), backoffMillis);
                closeQuietly();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private Channel ensureChannel() throws Exception {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeQuietly();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5000);
        connection = factory.newConnection("openstack-sim");
        channel = connection.createChannel();
        channel.exchangeDeclare(config.exchange(), "topic", config.durable(), false, null);
        if (config.declareDefaultQueue()) {
            channel.queueDeclare(ROUTING_KEY, config.durable(), false, false, null);
            channel.queueBind(ROUTING_KEY, config.exchange(), ROUTING_KEY);
        }
        LOG.infof("Publishing oslo notifications to exchange %s on %s:%d", config.exchange(), config.host(), config.port());
        return channel;
    }

    private void closeQuietly() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(2000);
            }
        } catch (Exception ignored) {
            // The connection is being replaced; a failing close changes nothing.
        }
        connection = null;
        channel = null;
    }
}
