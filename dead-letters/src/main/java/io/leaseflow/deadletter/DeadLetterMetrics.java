package io.leaseflow.deadletter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
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
    /** Held here: Micrometer keeps only weak references to a gauge's state. */
    private final Map<String, AtomicLong> active = new ConcurrentHashMap<>();

    public DeadLetterMetrics(MeterRegistry registry, DeadLetterStore store, Config config) {
        this.registry = registry;
        this.store = store;
        // The configured topics show 0 before their first dead letter, so "not empty" alerts have a series.
        config.getOptionalValue("mp.messaging.incoming.dead-letters.topics", String.class)
                .or(() -> config.getOptionalValue("mp.messaging.incoming.dead-letters.topic", String.class))
                .ifPresent(list -> {
                    for (String topic : list.split(",")) {
                        if (!topic.isBlank()) {
                            gauge(topic.trim());
                        }
                    }
                });
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

    @Scheduled(every = "${leaseflow.dead-letters.gauge-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> recount() {
        return store.activeByTopic().invoke(fresh -> fresh.forEach((topic, count) -> gauge(topic).set(count)))
                .replaceWithVoid();
    }

    private AtomicLong gauge(String topic) {
        return active.computeIfAbsent(topic, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("leaseflow_dead_letters_active", value, AtomicLong::doubleValue)
                    .description("Dead letters waiting for an operator (status ACTIVE), per dead-letter topic")
                    .tags(Tags.of("topic", t)).strongReference(true).register(registry);
            return value;
        });
    }
}
