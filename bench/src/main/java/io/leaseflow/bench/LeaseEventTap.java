package io.leaseflow.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code leaseflow.lease-events} as a bystander: the record timestamp (CreateTime, set by lease-watcher's
 * producer on this machine's clock) of each lease's {@code started} event splits a start's latency into lease-watcher
 * (AMQP publish → Kafka) and stack-launcher (Kafka → Heat PATCH).
 */
final class LeaseEventTap implements AutoCloseable {
    private static final String STARTED = "org.openstack.reservation.lease.started";
    private final Map<String, Long> startedAtMillis = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    LeaseEventTap(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor("leaseflow.lease-events").stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Header type = r.headers().lastHeader("ce_type");
                        if (r.key() != null && type != null
                                && STARTED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                            startedAtMillis.putIfAbsent(r.key(), r.timestamp());
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("bench: lease-events tap stopped: " + e);
                }
            }
        }, "bench-lease-events-tap");
        thread.setDaemon(true);
        thread.start();
    }

    /** Epoch microseconds at which lease-watcher produced the lease's started event, or null. */
    Long startedMicros(String leaseId) {
        Long ms = startedAtMillis.get(leaseId);
        return ms == null ? null : ms * 1_000L;
    }

    @Override
    public void close() {
        running = false;
    }
}
