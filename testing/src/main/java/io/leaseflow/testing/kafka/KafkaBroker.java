package io.leaseflow.testing.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.testcontainers.kafka.KafkaContainer;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.infra.LocalImages;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/** A real Apache Kafka broker in KRaft mode: external, a Testcontainers container, or embedded in this JVM. */
public final class KafkaBroker implements AutoCloseable {
    /** Names an existing broker, e.g. {@code 127.0.0.1:9092}. */
    public static final String EXTERNAL = "LEASEFLOW_TEST_KAFKA_BOOTSTRAP";

    private final InfraPath path;
    private final String bootstrapServers;
    private final AutoCloseable stopper;

    private KafkaBroker(InfraPath path, String bootstrapServers, AutoCloseable stopper) {
        this.path = path;
        this.bootstrapServers = bootstrapServers;
        this.stopper = stopper;
    }

    public static KafkaBroker start() {
        InfraPath path = InfraPath.choose(EXTERNAL, LocalImages.Image.KAFKA);
        long began = System.nanoTime();
        KafkaBroker broker = switch (path) {
            case ENVIRONMENT -> new KafkaBroker(path, InfraPath.setting(EXTERNAL, null), () -> {
            });
            case TESTCONTAINERS -> container();
            case EMBEDDED -> embedded();
        };
        System.out.printf("leaseflow-testing: Kafka %s at %s in %d ms%n", path, broker.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return broker;
    }

    /** A broker managed by the caller (e.g. one it restarts); {@link #close()} leaves it alone. */
    public static KafkaBroker managedElsewhere(String bootstrapServers) {
        return new KafkaBroker(InfraPath.EMBEDDED, bootstrapServers, () -> {
        });
    }

    private static KafkaBroker container() {
        KafkaContainer container = new KafkaContainer(LocalImages.Image.KAFKA.imageName())
                .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m")
                .withStartupTimeout(Duration.ofMinutes(3));
        container.start();
        return new KafkaBroker(InfraPath.TESTCONTAINERS, container.getBootstrapServers(), container::stop);
    }

    private static KafkaBroker embedded() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(FreePort.pick())
                .withControllerPort(FreePort.pick())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("num.partitions", "3");
                })
                .start();
        // Clients want host:port; the broker reports LISTENER://host:port.
        String bootstrap = broker.getAdvertisedListeners().replaceAll("[A-Z_]+://", "");
        return new KafkaBroker(InfraPath.EMBEDDED, bootstrap, broker::close);
    }

    public InfraPath path() {
        return path;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics up front, so that consumers never race the first producer for partition metadata. */
    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + names, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer", e);
        }
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
