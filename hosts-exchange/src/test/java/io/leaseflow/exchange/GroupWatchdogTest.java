package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leaseflow.exchange.watchdog.GroupWatchdog;
import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The watchdog for expected reports (issue 15): a group past half its deadline names the members still silent. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class GroupWatchdogTest {
    @Inject
    GroupWatchdog watchdog;

    @Test
    void groupPastHalfItsDeadlineNamesTheMembersThatHaveNotReported() {
        // 30 s: the first report waits for the partition owner, which may still be joining its consumer group
        ExchangeClient.Group group = createGroup(3, 30, "fail");
        for (String key : List.of("node-0", "node-1")) { // Heat-agent members: keys known before they report
            given().auth().oauth2(group.joinToken()).when().post(group.path() + "/heat-members/" + key)
                    .then().statusCode(201);
        }
        report(group, "node-2", "10.0.0.2 node-2").then().statusCode(201);

        assertTrue(late(group).isEmpty(), "not late before half its deadline");
        await().atMost(Duration.ofSeconds(30)).until(() -> late(group).isPresent());
        GroupWatchdog.LateGroup late = late(group).orElseThrow();
        assertEquals(3, late.size());
        assertEquals(1, late.reported());
        assertEquals(List.of("node-0", "node-1"), late.missingKeys());
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("leaseflow_exchange_groups_late", "") >= 1
                && metric("leaseflow_exchange_members_missing", "") >= 2);

        // once the deadline closes the group it is no longer late, it is expired
        await().atMost(Duration.ofSeconds(30)).until(() -> late(group).isEmpty());
    }

    @Test
    void completeGroupIsNeverLate() {
        ExchangeClient.Group group = createGroup(1, 20, "fail");
        report(group, "solo", "10.0.0.9 solo").then().statusCode(201);
        // well past half of its 20 s deadline
        await().pollDelay(Duration.ofSeconds(11)).atMost(Duration.ofSeconds(13)).until(() -> late(group).isEmpty());
    }

    private Optional<GroupWatchdog.LateGroup> late(ExchangeClient.Group group) {
        return watchdog.check().await().atMost(Duration.ofSeconds(10)).stream()
                .filter(g -> g.id().equals(group.id())).findFirst();
    }
}
