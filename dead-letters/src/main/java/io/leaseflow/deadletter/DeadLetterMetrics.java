package io.leaseflow.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * {@code leaseflow_dead_letters_active{topic}} (recounted from PostgreSQL, so every replica reports the same),
 * {@code leaseflow_dead_letters_recorded_total{topic}}, {@code leaseflow_dead_letter_replays_total{topic,outcome}},
 * {@code leaseflow_dead_letter_discards_total{topic}}. The service is the scrape target's {@code service} label.
 */
@ApplicationScoped
public class DeadLetterMetrics {
    private final MeterRegistry registry;
    private final DeadLetterStore store;
    private final MultiGauge active;
    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    public DeadLetterMetrics(MeterRegistry registry, DeadLetterStore store, Config config) {
        this.registry = registry;
        this.store = store;
        this.active = MultiGauge.builder("leaseflow_dead_letters_active")
                .description("Dead letters waiting for an operator (status ACTIVE), per dead-letter topic")
                .register(registry);
        // The configured topics show 0 before their first dead letter, so "not empty" alerts have a series.
        config.getOptionalValue("mp.messaging.incoming.dead-letters.topics", String.class)
                .or(() -> config.getOptionalValue("mp.messaging.incoming.dead-letters.topic", String.class))
                .ifPresent(list -> {
                    for (String topic : list.split(",")) {
                        if (!topic.isBlank()) {
                            counts.put(topic.trim(), 0L);
                        }
                    }
                });
        publish();
    }

    public void recorded(String topic) {
        registry.counter("leaseflow_dead_letters_recorded_total", "topic", topic).increment();
    }

    public void replayed(String topic, String outcome) {
        registry.counter("leaseflow_dead_letter_replays_total", "topic", topic, "outcome", outcome).increment();
    }

    public void discarded(String topic) {
        registry.counter("leaseflow_dead_letter_discards_total", "topic", topic).increment();
    }

    @Scheduled(every = "${leaseflow.dead-letters.gauge-interval:15s}", delay = 1,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> recount() {
        return store.activeByTopic().invoke(fresh -> {
            counts.putAll(fresh);
            publish();
        }).replaceWithVoid();
    }

    private void publish() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((topic, count) -> rows.add(MultiGauge.Row.of(Tags.of("topic", topic), count)));
        active.register(rows, true);
    }
}
