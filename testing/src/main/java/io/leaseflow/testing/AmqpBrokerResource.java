package io.leaseflow.testing;

import java.util.Map;

import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a real AMQP 0-9-1 broker in the SmallRye RabbitMQ connector's terms, and a queue-name
 * suffix ({@code leaseflow.queue-suffix}) so that test classes never compete for one queue.
 */
public class AmqpBrokerResource implements QuarkusTestResourceLifecycleManager {
    public static final String QUEUE_SUFFIX = "leaseflow.queue-suffix";

    @Override
    public Map<String, String> start() {
        var amqp = SharedInfra.amqp();
        return Map.of(
                "rabbitmq-host", amqp.host(),
                "rabbitmq-port", Integer.toString(amqp.port()),
                "rabbitmq-username", amqp.username(),
                "rabbitmq-password", amqp.password(),
                QUEUE_SUFFIX, "." + TestIds.next(),
                "quarkus.rabbitmq.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's test classes and stopped when the JVM exits.
    }
}
