package io.leaseflow.launcher.heat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Retention of the Heat call log on real PostgreSQL: rows older than {@code leaseflow.retention.heat-calls} (the
 * default 30 days) go, in batches of 7 here, newer ones stay. The schedule is off: the tests run the purge themselves.
 */
@QuarkusTest
@TestProfile(HeatCallRetentionTest.SmallBatches.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics",
        value = "leaseflow.lease-events,leaseflow.stack-events"))
@WithTestResource(PostgresResource.class)
class HeatCallRetentionTest {
    static final int BATCH = 7;
    static final String PURGED = "leaseflow_launcher_heat_calls_purged_total";

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.retention.batch-size", Integer.toString(BATCH),
                    "leaseflow.retention.interval", "off");
        }
    }

    @Inject
    HeatCallRetention retention;
    @Inject
    Pool database;

    @BeforeEach
    void emptyLog() {
        database.query("DELETE FROM heat_call").execute().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void callsOlderThanTheRetentionGoInBatchesNewerOnesStayAndTheCounterMoves() {
        // 4 batches and a bit: a purge that stopped after one statement would leave 23 behind
        insert("old", 30, Duration.ofDays(45));
        insert("old", 1, Duration.ofDays(30).plusMinutes(1));
        insert("recent", 1, Duration.ofDays(30).minusMinutes(1));
        insert("recent", 5, Duration.ofMinutes(1));
        double before = counter(PURGED);

        assertEquals(31L, retention.purge().await().atMost(Duration.ofSeconds(30)));

        assertEquals(0L, count("old"));
        assertEquals(6L, count("recent"));
        assertEquals(before + 31, counter(PURGED));
        assertEquals(0L, retention.purge().await().atMost(Duration.ofSeconds(30)), "nothing left to purge");
        assertEquals(before + 31, counter(PURGED));
    }

    @Test
    void replicasPurgingAtOnceDeleteEachRowOnceAndNeitherFails() {
        insert("old", 200, Duration.ofDays(60));
        insert("recent", 3, Duration.ofDays(1));

        List<Long> deleted = Uni.join().all(retention.purge(), retention.purge(), retention.purge()).andFailFast()
                .await().atMost(Duration.ofSeconds(30));

        assertEquals(200L, deleted.stream().mapToLong(Long::longValue).sum(), "per pass: " + deleted);
        assertEquals(0L, count("old"));
        assertEquals(3L, count("recent"));
    }

    @Test
    void zeroOrNegativeRetentionKeepsEverything() {
        insert("old", 10, Duration.ofDays(400));

        assertEquals(0L, retention.purgeOlderThan(Duration.ZERO).await().atMost(Duration.ofSeconds(10)));
        assertEquals(0L, retention.purgeOlderThan(Duration.ofDays(-1)).await().atMost(Duration.ofSeconds(10)));
        assertEquals(10L, count("old"));
        // and the same rows do go under a positive retention: what kept them was the setting
        assertEquals(10L, retention.purgeOlderThan(Duration.ofDays(1)).await().atMost(Duration.ofSeconds(10)));
    }

    /** {@code n} rows of lease {@code lease}, sent {@code age} ago. */
    private void insert(String lease, int n, Duration age) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minus(age);
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Tuple.of(lease, "/stacks/s/" + i, at));
        }
        database.preparedQuery("""
                INSERT INTO heat_call (lease_id, operation, method, path, status, duration_ms, at)
                VALUES ($1, 'show', 'GET', $2, 200, 5, $3)""").executeBatch(rows)
                .await().atMost(Duration.ofSeconds(10));
    }

    private long count(String lease) {
        return database.preparedQuery("SELECT count(*) FROM heat_call WHERE lease_id = $1").execute(Tuple.of(lease))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    /** The counter as Prometheus scrapes it from /q/metrics. */
    private static double counter(String name) {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)").matcher(metrics);
        if (!m.find()) {
            throw new AssertionError(name + " not in /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
