package io.leaseflow.watcher.dedup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.AmqpBrokerResource;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Retention of lease sightings on real PostgreSQL: rows older than {@code leaseflow.retention.lease-sightings} (the
 * default 30 days) go, in batches of 7 here, newer ones stay, and the dedup table is never touched. The schedule is
 * off: the tests run the purge themselves.
 */
@QuarkusTest
@TestProfile(SightingRetentionTest.SmallBatches.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AmqpBrokerResource.class)
class SightingRetentionTest {
    static final int BATCH = 7;
    static final String PURGED = "leaseflow_watcher_lease_sightings_purged_total";

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.retention.batch-size", Integer.toString(BATCH),
                    "leaseflow.retention.interval", "off");
        }
    }

    @Inject
    SightingRetention retention;
    @Inject
    Pool database;

    @BeforeEach
    void emptyTables() {
        database.query("DELETE FROM lease_sighting").execute()
                .flatMap(x -> database.query("DELETE FROM lease_observation").execute())
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void sightingsOlderThanTheRetentionGoInBatchesNewerOnesAndTheDedupRecordStay() {
        // 4 batches and a bit: a purge that stopped after one statement would leave 23 behind
        insert("old", 30, Duration.ofDays(45));
        insert("old", 1, Duration.ofDays(30).plusMinutes(1));
        insert("recent", 1, Duration.ofDays(30).minusMinutes(1));
        insert("recent", 5, Duration.ofMinutes(1));
        database.preparedQuery("""
                INSERT INTO lease_observation
                    (event_id, lease_id, event_type, first_via, first_seen_at, last_seen_at, times_seen)
                VALUES ($1, 'old', 'org.openstack.reservation.lease.started', 'NOTIFICATION', $2, $2, 31)""")
                .execute(Tuple.of(UUID.randomUUID().toString(), OffsetDateTime.now(ZoneOffset.UTC).minusDays(45)))
                .await().atMost(Duration.ofSeconds(10));
        double before = counter(PURGED);

        assertEquals(31L, retention.purge().await().atMost(Duration.ofSeconds(30)));

        assertEquals(0L, count("lease_sighting", "old"));
        assertEquals(6L, count("lease_sighting", "recent"));
        assertEquals(1L, count("lease_observation", "old"), "the fact stays published: dedup must not forget it");
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
        assertEquals(0L, count("lease_sighting", "old"));
        assertEquals(3L, count("lease_sighting", "recent"));
    }

    @Test
    void zeroOrNegativeRetentionKeepsEverything() {
        insert("old", 10, Duration.ofDays(400));

        assertEquals(0L, retention.purgeOlderThan(Duration.ZERO).await().atMost(Duration.ofSeconds(10)));
        assertEquals(0L, retention.purgeOlderThan(Duration.ofDays(-1)).await().atMost(Duration.ofSeconds(10)));
        assertEquals(10L, count("lease_sighting", "old"));
        // and the same rows do go under a positive retention: what kept them was the setting
        assertEquals(10L, retention.purgeOlderThan(Duration.ofDays(1)).await().atMost(Duration.ofSeconds(10)));
    }

    /** {@code n} sightings of lease {@code lease}, {@code age} ago. */
    private void insert(String lease, int n, Duration age) {
        OffsetDateTime seen = OffsetDateTime.now(ZoneOffset.UTC).minus(age);
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Tuple.of(lease, UUID.randomUUID().toString(), "message-" + i, seen));
        }
        database.preparedQuery("""
                INSERT INTO lease_sighting (lease_id, event_type, event_id, via, message_id, published, seen_at)
                VALUES ($1, 'org.openstack.reservation.lease.started', $2, 'NOTIFICATION', $3, false, $4)""")
                .executeBatch(rows).await().atMost(Duration.ofSeconds(10));
    }

    private long count(String table, String lease) {
        return database.preparedQuery("SELECT count(*) FROM " + table + " WHERE lease_id = $1")
                .execute(Tuple.of(lease)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
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
