package io.leaseflow.resilience;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.infra.FreePort;

/**
 * An AMQP 0-9-1 broker (Qpid Broker-J, in this JVM) that can be cut off — stopped, its connections dropped and its
 * in-memory queues lost — and started again on the same port, as a RabbitMQ outage looks to Blazar and lease-watcher.
 */
final class RestartableAmqp implements AutoCloseable {
    private static final String USER = "guest";
    private static final String PASSWORD = "guest";
    private final int port = FreePort.pick();
    private AmqpBroker broker;

    RestartableAmqp() {
        broker = AmqpBroker.embedded(port, USER, PASSWORD);
    }

    void cut(long downMillis) throws Exception {
        synchronized (this) {
            broker.close();
            broker = null;
        }
        Thread.sleep(downMillis);
        synchronized (this) {
            broker = AmqpBroker.embedded(port, USER, PASSWORD);
        }
    }

    /** The broker as first started: host, port and credentials stay the same across cuts. */
    synchronized AmqpBroker current() {
        return broker;
    }

    @Override
    public synchronized void close() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }
}
