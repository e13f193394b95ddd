package io.leaseflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.infra.SharedInfra;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;

/** Round trips through each shared broker and server, whichever path (env, Testcontainers, embedded) gave them. */
class SharedInfraTest {

    @Test
    void kafkaRecordMakesTheRoundTrip() throws Exception {
        KafkaBroker kafka = SharedInfra.kafka();
        String topic = "infra-check." + TestIds.next();
        kafka.createTopics(List.of(topic), 1);
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "lease-1", "started")).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "infra-check", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, String> got = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (got == null && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    got = r;
                }
            }
            assertNotNull(got, "no record came back from " + kafka.path() + " Kafka");
            assertEquals("lease-1", got.key());
            assertEquals("started", got.value());
        }
    }

    @Test
    void postgresGivesEachCallerItsOwnDatabase() throws Exception {
        PostgresServer pg = SharedInfra.postgres();
        String a = pg.createDatabase("infra_a");
        String b = pg.createDatabase("infra_b");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(a), pg.username(), pg.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v text)");
            s.execute("INSERT INTO t VALUES ('only in a')");
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(b), pg.username(), pg.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "database " + b + " must not see " + a + "'s table");
        }
    }

    @Test
    void amqpMessageKeepsOsloPropertiesAndBytes() throws Exception {
        AmqpBroker amqp = SharedInfra.amqp();
        try (var connection = amqp.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            String exchange = "openstack-" + TestIds.next();
            channel.exchangeDeclare(exchange, "topic", false);
            String queue = channel.queueDeclare("infra-check." + TestIds.next(), true, false, true, null).getQueue();
            channel.queueBind(queue, exchange, "notifications.info");
            byte[] body = "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"x\\\": \\\"\\\\u00e9\\\"}\"}"
                    .getBytes(StandardCharsets.UTF_8);
            channel.basicPublish(exchange, "notifications.info", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).priority(0).build(), body);
            GetResponse got = null;
            long deadline = System.currentTimeMillis() + 10_000;
            while (got == null && System.currentTimeMillis() < deadline) {
                got = channel.basicGet(queue, true);
                if (got == null) {
                    Thread.sleep(50);
                }
            }
            assertNotNull(got, "no message came back from " + amqp.path() + " AMQP");
            assertEquals("utf-8", got.getProps().getContentEncoding());
            assertEquals(2, got.getProps().getDeliveryMode());
            assertEquals(new String(body, StandardCharsets.UTF_8), new String(got.getBody(), StandardCharsets.UTF_8));
        }
    }
}
