package io.leaseflow.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.Uuid;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A single-node KRaft Kafka broker (the real one, in this JVM) that can be stopped and started again on the same
 * ports, with the same cluster id and the same log directory: a broker restart as the services' clients see it.
 */
final class RestartableKafka implements AutoCloseable {
    private final int port = FreePort.pick();
    private final int controllerPort = FreePort.pick();
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path logDir;
    private EmbeddedKafkaBroker broker;

    RestartableKafka() {
        try {
            logDir = Files.createTempDirectory("leaseflow-chaos-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    synchronized void start() {
        broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withClusterId(clusterId)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", logDir.toString());
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("num.partitions", "3");
                })
                .start();
    }

    synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Stops the broker, leaves it down for {@code downMillis}, starts it again with its data. */
    void restart(long downMillis) throws InterruptedException {
        stop();
        Thread.sleep(downMillis);
        start();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The view LeaseflowStack takes; its close leaves the broker to this class. */
    KafkaBroker asBroker() {
        return KafkaBroker.managedElsewhere(bootstrapServers());
    }

    @Override
    public void close() {
        stop();
    }

}
