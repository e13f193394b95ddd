package io.leaseflow.testing;

import java.util.Arrays;
import java.util.Map;

import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a real Kafka broker and topics of its own: every topic name a service builds as
 * {@code <name>${leaseflow.topic-suffix:}} gets a suffix unique to this test class. Init arg {@code topics}
 * (comma separated base names) creates them up front.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    public static final String TOPIC_SUFFIX = "leaseflow.topic-suffix";
    private String[] topics = new String[0];

    @Override
    public void init(Map<String, String> initArgs) {
        String list = initArgs.getOrDefault("topics", "");
        topics = list.isBlank() ? new String[0] : list.split("\\s*,\\s*");
    }

    @Override
    public Map<String, String> start() {
        var kafka = SharedInfra.kafka();
        String suffix = "." + TestIds.next();
        kafka.createTopics(Arrays.stream(topics).map(t -> t + suffix).toList(), 3);
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                TOPIC_SUFFIX, suffix,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's test classes and stopped when the JVM exits.
    }
}
