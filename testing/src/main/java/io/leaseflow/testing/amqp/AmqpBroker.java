package io.leaseflow.testing.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.State;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import com.rabbitmq.client.ConnectionFactory;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.infra.LocalImages;

/**
 * A real AMQP 0-9-1 broker for Blazar's notifications: external, RabbitMQ through Testcontainers, or Apache Qpid
 * Broker-J embedded in this JVM. Qpid refuses RabbitMQ's {@code x-*} queue arguments and accepts redeclares with
 * another durability, so RabbitMQ-only behaviour is tested on the container path.
 */
public final class AmqpBroker implements AutoCloseable {
    /** Names an existing broker as {@code amqp://user:password@host:port}. */
    public static final String EXTERNAL = "LEASEFLOW_TEST_AMQP_URL";

    private final InfraPath path;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final boolean rabbitmq;
    private final AutoCloseable stopper;

    private AmqpBroker(InfraPath path, String host, int port, String username, String password, boolean rabbitmq,
            AutoCloseable stopper) {
        this.path = path;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.rabbitmq = rabbitmq;
        this.stopper = stopper;
    }

    public static AmqpBroker start() {
        InfraPath path = InfraPath.choose(EXTERNAL, LocalImages.Image.RABBITMQ);
        long began = System.nanoTime();
        AmqpBroker broker = switch (path) {
            case ENVIRONMENT -> external(URI.create(InfraPath.setting(EXTERNAL, null)));
            case TESTCONTAINERS -> container();
            case EMBEDDED -> embedded(FreePort.pick(), "guest", "guest");
        };
        System.out.printf("leaseflow-testing: AMQP %s at %s:%d in %d ms%n", path, broker.host, broker.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return broker;
    }

    private static AmqpBroker external(URI uri) {
        String[] credentials = uri.getUserInfo() == null ? new String[] {"guest", "guest"}
                : uri.getUserInfo().split(":", 2);
        boolean qpid = uri.getQuery() != null && uri.getQuery().contains("broker=qpid");
        return new AmqpBroker(InfraPath.ENVIRONMENT, uri.getHost(), uri.getPort() < 0 ? 5672 : uri.getPort(),
                credentials[0], credentials.length > 1 ? credentials[1] : "", !qpid, () -> {
                });
    }

    private static AmqpBroker container() {
        RabbitMQContainer container = new RabbitMQContainer(LocalImages.Image.RABBITMQ.imageName())
                .withStartupTimeout(Duration.ofMinutes(2));
        container.start();
        return new AmqpBroker(InfraPath.TESTCONTAINERS, container.getHost(), container.getAmqpPort(),
                container.getAdminUsername(), container.getAdminPassword(), true, container::stop);
    }

    /** Starts Qpid Broker-J on 127.0.0.1:{@code port}; also used by the demo, which needs no Docker. */
    public static AmqpBroker embedded(int port, String username, String password) {
        try {
            Path workDir = Files.createTempDirectory("leaseflow-qpid");
            Map<String, String> context = new HashMap<>();
            context.put("leaseflow.amqp.port", Integer.toString(port));
            context.put("leaseflow.amqp.username", username);
            context.put("leaseflow.amqp.password", password);
            context.put("qpid.work_dir", workDir.toString());
            context.put("qpid.home_dir", workDir.toString());
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation",
                    AmqpBroker.class.getResource("qpid-initial-config.json").toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", context);
            AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
            SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(SystemConfig<?> config) {
                    system.set(config);
                }
            });
            launcher.startup(attributes);
            requireActivePorts(launcher, system.get(), port);
            return new AmqpBroker(InfraPath.EMBEDDED, "127.0.0.1", port, username, password, false,
                    () -> shutdownQuietly(launcher));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded AMQP broker did not start", e);
        }
    }

    // Qpid may have stopped itself already from its own JVM shutdown hook.
    private static void shutdownQuietly(SystemLauncher launcher) {
        try {
            launcher.shutdown();
        } catch (IllegalStateException alreadyStopping) {
            // nothing left to stop
        }
    }

    // Qpid logs "Ready" even when its port failed to bind; the port's state tells the truth.
    private static void requireActivePorts(SystemLauncher launcher, SystemConfig<?> system, int port) {
        Broker<?> broker = (Broker<?>) system.getContainer(Broker.class);
        for (Port<?> p : broker.getPorts()) {
            if (p.getState() != State.ACTIVE) {
                launcher.shutdown();
                throw new IllegalStateException("Qpid port " + p.getName() + " (" + port + ") is " + p.getState());
            }
        }
    }

    public InfraPath path() {
        return path;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** This broker as {@code amqp://user:password@host:port}, with {@code ?broker=qpid} for Qpid. */
    public String url() {
        return "amqp://" + username + ":" + password + "@" + host + ":" + port + (rabbitmq ? "" : "?broker=qpid");
    }

    /** A client connection factory for this broker. */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        return factory;
    }

    /** True for RabbitMQ, false for Qpid (which lacks dead-letter exchanges and strict redeclare checks). */
    public boolean isRabbitMq() {
        return rabbitmq;
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
