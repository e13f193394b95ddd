package io.leaseflow.exchange.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.leaseflow.contract.Topics;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Creates the exchange topics before the consumers subscribe, with enough partitions for several owners: a broker
 * that auto-creates topics would give one partition, and a consumer would race the first producer.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    /** Priority 500: before Reactive Messaging (1000) starts the consumers. */
    void onStart(@Observes @Priority(500) StartupEvent start, ExchangeConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "leaseflow.topic-suffix") Optional<String> topicSuffix) {
        String suffix = topicSuffix.orElse("");
        if (!config.kafka().createTopics()) {
            return;
        }
        Map<String, Object> admin = new HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        kafka.forEach((k, v) -> {
            if (known.contains(k)) {
                admin.put(k, v);
            }
        });
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        List<String> names = List.of(Topics.EXCHANGE_REPORTS, Topics.EXCHANGE_EVENTS,
                Topics.EXCHANGE_REPORTS + Topics.DLQ_SUFFIX, Topics.EXCHANGE_EVENTS + Topics.DLQ_SUFFIX)
                .stream().map(n -> n + suffix).toList();
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, config.kafka().partitions(), config.kafka().replicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                client.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            }
        } catch (Exception e) {
            // Another replica may have won the race, or the broker is not up yet: consumers still subscribe.
            LOG.warnf("could not create exchange topics %s: %s", names, e.getMessage());
        }
    }
}
