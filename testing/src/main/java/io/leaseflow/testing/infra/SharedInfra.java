package io.leaseflow.testing.infra;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;

/**
 * One broker and one database server per JVM, started on first use and stopped when the JVM exits (Ryuk is off,
 * so nothing else would stop the containers). Test classes are isolated inside them: own database, own topics.
 * Quarkus loads test classes anew for each test profile, so what was started is also published as the
 * {@code LEASEFLOW_TEST_*} system properties, which later class loaders take as instances named by the environment.
 */
public final class SharedInfra {
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();
    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static AmqpBroker amqp;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedInfra::stopAll, "leaseflow-infra-stop"));
    }

    private SharedInfra() {
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = track(KafkaBroker::start);
            publish(KafkaBroker.EXTERNAL, kafka.bootstrapServers());
        }
        return kafka;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = track(PostgresServer::start);
            publish(PostgresServer.EXTERNAL, postgres.url());
        }
        return postgres;
    }

    public static synchronized AmqpBroker amqp() {
        if (amqp == null) {
            amqp = track(AmqpBroker::start);
            publish(AmqpBroker.EXTERNAL, amqp.url());
        }
        return amqp;
    }

    private static void publish(String variable, String value) {
        if (InfraPath.setting(variable, null) == null) {
            System.setProperty(variable, value);
        }
    }

    private static <T extends AutoCloseable> T track(Supplier<T> starter) {
        T started = starter.get();
        STARTED.push(started);
        return started;
    }

    /** Stops everything started, newest first. */
    public static synchronized void stopAll() {
        while (!STARTED.isEmpty()) {
            try {
                STARTED.pop().close();
            } catch (Exception e) {
                System.err.println("leaseflow-testing: could not stop " + e);
            }
        }
        kafka = null;
        postgres = null;
        amqp = null;
    }
}
