package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leaseflow.exchange.group.ClosedGroupRetention;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Closed groups past {@code closed-retention} are deleted with their members; open and recent ones stay. */
@QuarkusTest
@TestProfile(ClosedGroupRetentionTest.SmallBatches.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class ClosedGroupRetentionTest {

    /** Two groups per statement, so five old groups take three statements; the timer stays out of the way. */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leaseflow.exchange.retention-batch-size", "2",
                    "leaseflow.exchange.retention-interval", "1h",
                    "leaseflow.exchange.closed-retention", "P14D");
        }
    }

    @Inject
    ClosedGroupRetention retention;

    @Inject
    Pool pool;

    @Test
    void groupsClosedBeforeTheRetentionAreDeletedWithTheirMembers() {
        List<ExchangeClient.Group> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(completed("old-" + i));
        }
        ExchangeClient.Group recent = completed("recent");
        ExchangeClient.Group open = createGroup(2);
        report(open, "node-0", "10.0.0.1 node-0").then().statusCode(anyOf(is(201), is(202)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM exchange_member WHERE group_id = $1", open) == 1);
        for (ExchangeClient.Group g : old) {
            sql("UPDATE exchange_group SET closed_at = now() - interval '15 days' WHERE id = $1", g);
        }
        sql("UPDATE exchange_group SET closed_at = now() - interval '13 days' WHERE id = $1", recent);
        // an open group is never purged, however old: only closing starts its retention
        sql("UPDATE exchange_group SET created_at = now() - interval '30 days' WHERE id = $1", open);
        double purgedBefore = metric("leaseflow_exchange_groups_purged_total", "");

        assertEquals(5L, retention.purge().await().atMost(Duration.ofSeconds(20)));

        for (ExchangeClient.Group g : old) {
            given().when().get(g.path()).then().statusCode(404);
            assertEquals(0, count("SELECT count(*) FROM exchange_member WHERE group_id = $1", g));
        }
        given().when().get(recent.path()).then().statusCode(200);
        given().when().get(open.path()).then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM exchange_member WHERE group_id = $1", recent));
        assertEquals(5.0, metric("leaseflow_exchange_groups_purged_total", "") - purgedBefore);
        // nothing left to purge: a second run (another replica's, say) deletes nothing
        assertEquals(0L, retention.purge().await().atMost(Duration.ofSeconds(20)));
    }

    private static ExchangeClient.Group completed(String key) {
        ExchangeClient.Group group = createGroup(1);
        // 202 when the partition owner is still joining its consumer group; the decision follows
        report(group, key, "10.0.0.9 " + key).then().statusCode(anyOf(is(201), is(202)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETE".equals(
                given().when().get(group.path()).then().statusCode(200).extract().path("status")));
        return group;
    }

    private void sql(String statement, ExchangeClient.Group group) {
        int updated = pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(group.id())))
                .await().atMost(Duration.ofSeconds(10)).rowCount();
        assertEquals(1, updated);
    }

    private long count(String query, ExchangeClient.Group group) {
        return pool.preparedQuery(query).execute(Tuple.of(UUID.fromString(group.id())))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
