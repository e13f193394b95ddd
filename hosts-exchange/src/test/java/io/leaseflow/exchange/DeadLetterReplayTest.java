package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.leaseflow.contract.EventJson;
import io.leaseflow.contract.Topics;
import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * hosts-exchange's dead letters on real Kafka and PostgreSQL: a report with a bad member key is dead-lettered and
 * stored; replayed with the corrected report it is decided once (the group completes); a second replay changes
 * nothing. The operator API takes the operator secret (Keystone roles are tested in lease-watcher).
 */
@QuarkusTest
@TestProfile(DeadLetterReplayTest.WithOperatorSecret.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class DeadLetterReplayTest {
    static final String SECRET = "exchange-operator-secret";

    public static class WithOperatorSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.operator.secret", SECRET);
        }
    }

    @Test
    void reportWithABadKeyIsDecidedOnceWhenReplayedCorrected() throws Exception {
        var config = ConfigProvider.getConfig();
        String suffix = config.getValue("leaseflow.topic-suffix", String.class);
        var group = createGroup(1);
        String hash = SecretTokens.encode(SecretTokens.hash("secret"));
        var bad = new ExchangeReport(UUID.randomUUID().toString(), group.id(), "node 0!",
                Map.of("hosts", "10.0.0.5 node-0"), 0, ExchangeReport.ReportVia.NATIVE, hash, null, Instant.now(),
                "test");
        var good = new ExchangeReport(bad.reportId(), group.id(), "node-0", bad.outputs(), 0,
                ExchangeReport.ReportVia.NATIVE, hash, null, bad.receivedAt(), "test");
        try (KafkaCompanion kafka = new KafkaCompanion(config.getValue("kafka.bootstrap.servers", String.class))) {
            var record = new ProducerRecord<String, String>(Topics.EXCHANGE_REPORTS + suffix, group.id(),
                    EventJson.mapper().writeValueAsString(bad));
            record.headers().add("ce_type", ExchangeCloudEvents.REPORT_SUBMITTED.type().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", bad.reportId().getBytes(StandardCharsets.UTF_8));
            kafka.produceStrings().fromRecords(record).awaitCompletion();
        }
        long[] id = new long[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> letters = operator().queryParam("status", "ACTIVE").queryParam("topic",
                    Topics.EXCHANGE_REPORTS + suffix).get("/v1/dead-letters").then().statusCode(200).extract()
                    .jsonPath().getList("dead_letters");
            var mine = letters.stream().filter(l -> group.id().equals(l.get("key"))).toList();
            if (mine.size() == 1) {
                id[0] = ((Number) mine.get(0).get("id")).longValue();
            }
            return mine.size() == 1;
        });
        operator().get("/v1/dead-letters/" + id[0]).then().statusCode(200)
                .body("reason", containsString("memberKey must match"))
                .body("topic", equalTo(Topics.EXCHANGE_REPORTS + Topics.DLQ_SUFFIX + suffix));
        given().when().get(group.path()).then().body("reported", is(0));

        operator().post("/v1/dead-letters/" + id[0] + "/replay").then().statusCode(422)
                .contentType("application/problem+json");
        operator().contentType("application/json").body(EventJson.mapper().writeValueAsString(good))
                .post("/v1/dead-letters/" + id[0] + "/replay").then().statusCode(200)
                .body("status", equalTo("REPLAYED")).body("last_replay_outcome", equalTo("decided"));
        given().when().get(group.path()).then().body("reported", is(1)).body("status", equalTo("COMPLETE"));

        operator().contentType("application/json").body(EventJson.mapper().writeValueAsString(good))
                .post("/v1/dead-letters/" + id[0] + "/replay").then().statusCode(200)
                .body("replay_count", is(2)).body("last_replay_outcome", equalTo("decided"));
        given().when().get(group.path()).then().body("reported", is(1));
        given().get("/v1/dead-letters").then().statusCode(401).contentType("application/problem+json");
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + SECRET);
    }
}
