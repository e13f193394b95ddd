package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.Topics;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.contract.ContractSchemas;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.events.ExchangeEventListener;
import io.leaseflow.exchange.report.Decision;
import io.leaseflow.exchange.report.PendingDecisions;
import io.leaseflow.exchange.report.ReportDecisions;
import io.leaseflow.exchange.report.ReportOwner;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** What goes over Kafka: producers against the contract's schemas, dead-letter topics and deduplication. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class ExchangeEventsTest {

    private static KafkaCompanion kafka;
    private static String suffix;

    @BeforeAll
    static void connect() {
        var config = ConfigProvider.getConfig();
        kafka = new KafkaCompanion(config.getValue("kafka.bootstrap.servers", String.class));
        suffix = config.getValue("leaseflow.topic-suffix", String.class);
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The first {@code count} records of {@code topic} with key {@code key}, read from the beginning. */
    static List<ConsumerRecord<String, String>> recordsFor(String topic, String key, int count) {
        return kafka.consumeStrings().withGroupId("probe-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Set.of(topic), records -> records.filter(r -> key.equals(r.key())).select().first(count))
                .awaitCompletion(Duration.ofSeconds(30)).getRecords();
    }

    @Test
    void reportsAndEventsAreBinaryCloudEventsKeyedByGroupThatMatchTheContract() throws Exception {
        var group = createGroup(2);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        report(group, "node-1", "10.0.0.6 node-1").then().statusCode(201);

        var reports = recordsFor(Topics.EXCHANGE_REPORTS + suffix, group.id(), 2);
        for (var record : reports) {
            assertEquals(ExchangeCloudEvents.REPORT_SUBMITTED.type(), header(record, "ce_type"));
            assertEquals("1.0", header(record, "ce_specversion"));
            assertEquals("/leaseflow/hosts-exchange", header(record, "ce_source"));
            assertEquals(group.id(), header(record, "ce_subject"));
            JsonNode data = EventJson.mapper().readTree(record.value());
            assertEquals(List.of(), ContractSchemas.EXCHANGE_REPORT.violations(data));
            assertEquals(header(record, "ce_id"), data.get("reportId").asText());
            assertFalse(record.value().contains(group.joinToken()), "no secrets on the topic");
        }

        var events = recordsFor(Topics.EXCHANGE_EVENTS + suffix, group.id(), 3);
        Set<String> types = events.stream().map(r -> header(r, "ce_type")).collect(Collectors.toSet());
        assertEquals(Set.of(ExchangeCloudEvents.MEMBER_REPORTED.type(), ExchangeCloudEvents.GROUP_COMPLETED.type()),
                types);
        for (var record : events) {
            assertNotNull(header(record, "ce_id"));
            assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(EventJson.mapper().readTree(record.value())));
        }
    }

    @Test
    void expiryAndDeletionArePublishedAsEvents() throws Exception {
        var expiring = createGroup(2, 1, "partial");
        var deleted = createGroup(2);
        given().auth().oauth2(deleted.joinToken()).when().delete(deleted.path()).then().statusCode(204);
        var expired = recordsFor(Topics.EXCHANGE_EVENTS + suffix, expiring.id(), 1);
        assertEquals(ExchangeCloudEvents.GROUP_EXPIRED.type(), header(expired.get(0), "ce_type"));
        JsonNode data = EventJson.mapper().readTree(expired.get(0).value());
        assertEquals("PARTIAL", data.get("status").asText());
        assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(data));
        var gone = recordsFor(Topics.EXCHANGE_EVENTS + suffix, deleted.id(), 1);
        assertEquals(ExchangeCloudEvents.GROUP_CHANGED.type(), header(gone.get(0), "ce_type"));
        assertEquals("DELETED", EventJson.mapper().readTree(gone.get(0).value()).get("status").asText());
    }

    @Test
    void unreadableReportGoesToTheDeadLetterTopicAndTheNextOneIsStillDecided() {
        var group = createGroup(1);
        var poison = new ProducerRecord<String, String>(Topics.EXCHANGE_REPORTS + suffix, group.id(), "{not json");
        poison.headers().add("ce_type", ExchangeCloudEvents.REPORT_SUBMITTED.type().getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(poison).awaitCompletion();

        var dead = recordsFor(Topics.EXCHANGE_REPORTS + Topics.DLQ_SUFFIX + suffix, group.id(), 1);
        assertEquals("{not json", dead.get(0).value());
        assertTrue(header(dead.get(0), "dead-letter-reason").contains("not an exchange report"),
                header(dead.get(0), "dead-letter-reason"));
        // The partition is not blocked: the next report on it is decided.
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201).body("group_status", equalTo("COMPLETE"));
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        var poison = new ProducerRecord<String, String>(Topics.EXCHANGE_EVENTS + suffix, key, "[]");
        poison.headers().add("ce_type", ExchangeCloudEvents.MEMBER_REPORTED.type().getBytes(StandardCharsets.UTF_8));
        poison.headers().add("ce_id", key.getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(poison).awaitCompletion();
        var dead = recordsFor(Topics.EXCHANGE_EVENTS + Topics.DLQ_SUFFIX + suffix, key, 1);
        assertNotNull(header(dead.get(0), "dead-letter-reason"));
        // The consumer lives on.
        var group = createGroup(1);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
    }

    @Test
    void redeliveredReportIsDecidedOnce() throws Exception {
        var group = createGroup(3);
        double duplicatesBefore = metric("leaseflow_exchange_duplicates_total", "consumer=\"reports\"");
        String hash = SecretTokens.encode(SecretTokens.hash("secret"));
        var report = new ExchangeReport(UUID.randomUUID().toString(), group.id(), "node-0",
                Map.of("hosts", "10.0.0.5 node-0"), 0, ExchangeReport.ReportVia.NATIVE, hash, null, Instant.now(),
                "test");
        String data = EventJson.mapper().writeValueAsString(report);
        for (int delivery = 0; delivery < 3; delivery++) {
            var record = new ProducerRecord<String, String>(Topics.EXCHANGE_REPORTS + suffix, group.id(), data);
            record.headers().add("ce_type", ExchangeCloudEvents.REPORT_SUBMITTED.type().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", report.reportId().getBytes(StandardCharsets.UTF_8));
            kafka.produceStrings().fromRecords(record).awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(10)).until(
                () -> metric("leaseflow_exchange_duplicates_total", "consumer=\"reports\"") - duplicatesBefore >= 2);
        given().when().get(group.path()).then().body("reported", is(1));
        // The key now belongs to whoever holds the secret whose hash travelled.
        given().contentType("application/json").auth().oauth2(group.joinToken()).header("X-Member-Secret", "secret")
                .body(Map.of("outputs", Map.of("hosts", "10.0.0.9 node-0"))).when().put(group.path() + "/members/node-0")
                .then().statusCode(200);
    }

    @Inject
    ReportOwner owner;

    @Test
    void decisionsOfOneBatchTravelAsOneEventPerGroup() throws Exception {
        var group = createGroup(30);
        List<ExchangeReport> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(new ExchangeReport(UUID.randomUUID().toString(), group.id(), "node-" + i,
                    Map.of("hosts", "10.0.0." + i + " node-" + i), 0, ExchangeReport.ReportVia.NATIVE,
                    SecretTokens.encode(SecretTokens.hash("secret-" + i)), null, Instant.now(), "test"));
        }
        // The second claim of node-0 in the same batch loses: its decision travels in the same event.
        batch.add(new ExchangeReport(UUID.randomUUID().toString(), group.id(), "node-0",
                Map.of("hosts", "10.9.9.9 node-0"), 0, ExchangeReport.ReportVia.NATIVE,
                SecretTokens.encode(SecretTokens.hash("other")), null, Instant.now(), "test"));
        var applied = owner.decide(batch).await().atMost(Duration.ofSeconds(30));

        List<String> types = applied.events().stream().map(e -> e.type().type()).toList();
        assertEquals(List.of(ExchangeCloudEvents.MEMBER_REPORTED.type(), ExchangeCloudEvents.GROUP_COMPLETED.type()),
                types);
        var decisions = applied.events().get(0).data().reports();
        assertEquals(batch.stream().map(ExchangeReport::reportId).toList(),
                decisions.stream().map(ExchangeEvent.Report::reportId).toList());
        assertEquals(ExchangeEvent.Outcome.REJECTED, decisions.get(30).outcome());
        assertEquals("member-secret-mismatch", decisions.get(30).rejection());
        assertEquals("COMPLETE", applied.events().get(0).data().status());

        // On the topic: one member-reported record carrying all 31 decisions, valid against the contract.
        var published = recordsFor(Topics.EXCHANGE_EVENTS + suffix, group.id(), 2).stream()
                .filter(r -> ExchangeCloudEvents.MEMBER_REPORTED.type().equals(header(r, "ce_type"))).toList();
        assertEquals(1, published.size());
        JsonNode data = EventJson.mapper().readTree(published.get(0).value());
        assertEquals(List.of(), ContractSchemas.EXCHANGE_EVENT.violations(data));
        assertEquals(31, data.get("reports").size());
        given().when().get(group.path()).then().body("status", equalTo("COMPLETE")).body("reported", is(30));
    }

    @Test
    void twoOwnersDecidingTheSameBatchAtOnceApplyItOnce() {
        // What a rebalance can do: the old and the new owner of a partition handle the same records together.
        var group = createGroup(20);
        List<ExchangeReport> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(new ExchangeReport(UUID.randomUUID().toString(), group.id(), "node-" + i,
                    Map.of("hosts", "10.0.1." + i + " node-" + i), 0, ExchangeReport.ReportVia.NATIVE,
                    SecretTokens.encode(SecretTokens.hash("s-" + i)), null, Instant.now(), "test"));
        }
        var first = owner.decide(batch).subscribeAsCompletionStage();
        var second = owner.decide(batch).subscribeAsCompletionStage();
        var applied = List.of(first.join(), second.join());
        assertEquals(List.of(0, 20), applied.stream().map(ReportDecisions.Applied::duplicates).sorted().toList());
        assertEquals(Map.of("claimed", 20), applied.stream().filter(a -> a.duplicates() == 0).findFirst()
                .orElseThrow().outcomes());
        given().when().get(group.path()).then().body("status", equalTo("COMPLETE")).body("reported", is(20));
    }

    @Inject
    ExchangeEventListener listener;

    @Inject
    PendingDecisions pending;

    @Test
    void everyDecisionInAnEventAnswersItsWaitingWrite() {
        String groupId = UUID.randomUUID().toString();
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        ids.forEach(pending::expect);
        try {
            var event = new ExchangeEvent(groupId, "OPEN", 3, 1, 0, 2, null, List.of(
                    new ExchangeEvent.Report(ids.get(0), "node-0", ExchangeEvent.Outcome.CLAIMED, null),
                    new ExchangeEvent.Report(ids.get(1), "node-1", ExchangeEvent.Outcome.REJECTED,
                            "member-secret-mismatch")), Instant.now());
            var record = new ConsumerRecord<>("events", 0, 0L, groupId, EventJson.mapper().valueToTree(event).toString());
            record.headers().add("ce_type", ExchangeCloudEvents.MEMBER_REPORTED.type().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            listener.handle(record);
            Decision first = pending.await(ids.get(0), Duration.ofSeconds(1)).await().indefinitely();
            Decision second = pending.await(ids.get(1), Duration.ofSeconds(1)).await().indefinitely();
            assertEquals(ExchangeEvent.Outcome.CLAIMED, first.outcome());
            assertEquals(ExchangeEvent.Outcome.REJECTED, second.outcome());
            assertEquals("member-secret-mismatch", second.rejection());
        } finally {
            ids.forEach(pending::forget);
        }
    }

    @Test
    void readinessReflectsKafkaAndPostgres() {
        // The messaging check covers each Kafka channel (producers and consumers), the datasource checks PostgreSQL.
        String ready = given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsStringIgnoringCase("reactive messaging")))
                .body("checks.name", hasItem(org.hamcrest.Matchers.containsStringIgnoringCase("postgresql")))
                .extract().asString();
        for (String channel : List.of("exchange-reports-owner", "exchange-events-replica", "exchange-reports",
                "exchange-events")) {
            assertTrue(ready.contains("\"" + channel + "\""), channel + " in " + ready);
        }
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsExposeGroupsByStatusCompletionTimeReportsAndParkedPolls() {
        var group = createGroup(1);
        report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("leaseflow_exchange_groups{", "status=\"COMPLETE\"") >= 1);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("leaseflow_exchange_group_completion_seconds_bucket",
                "leaseflow_exchange_group_completion_seconds_count", "leaseflow_exchange_member_reports_total",
                "leaseflow_exchange_reports_received_total", "leaseflow_exchange_polls_parked",
                "leaseflow_exchange_groups{")) {
            assertTrue(metrics.contains(name), name);
        }
    }
}
