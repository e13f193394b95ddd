package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.metric;
import static io.leaseflow.exchange.InputsLongPollTest.parkedPolls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Numbers, not assertions about time (not run by default; its name matches no test pattern):
 * {@code ./mvnw -o -pl hosts-exchange test -Dtest=ExchangeBenchmark}. One replica, in this JVM, with the load
 * generator sharing its cores.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class ExchangeBenchmark {

    @TestHTTPResource("/")
    String baseUrl;

    @Test
    void completionLatencyAfterTheLastReportForOneThousandMembers() throws Exception {
        var agents = new HttpAgents(baseUrl);
        run(agents, 200, 16); // warm-up
        for (int round = 1; round <= 3; round++) {
            long[] r = run(agents, 1000, 32);
            System.out.printf("BENCH completion members=1000 round=%d: last report acked -> all 1000 pollers hold the"
                    + " aggregate: %.1f ms (p50 poller %.1f ms); last report sent -> all: %.1f ms; writes took %.0f ms%n",
                    round, r[0] / 1e6, r[1] / 1e6, r[2] / 1e6, r[3] / 1e6);
        }
        System.out.printf("BENCH server-side completion histogram (last report received -> complete committed):"
                + " count=%.0f sum=%.3f s%n", metric("leaseflow_exchange_group_completion_seconds_count", ""),
                metric("leaseflow_exchange_group_completion_seconds_sum", ""));
    }

    /** {max poller done - last ack, p50 poller done - last ack, max poller done - last send, write phase}. */
    private long[] run(HttpAgents agents, int members, int concurrency) throws Exception {
        var group = createGroup(members);
        List<CompletableFuture<Long>> polls = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            polls.add(agents.awaitAggregate(group, "120s").thenApply(r -> {
                if (r.statusCode() != 200 || !r.body().contains("\"COMPLETE\"")) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
                return System.nanoTime();
            }));
        }
        double parkedBefore = 0;
        await().atMost(Duration.ofSeconds(60)).until(() -> parkedPolls() >= parkedBefore + members);
        var permits = new Semaphore(concurrency);
        AtomicLong lastAck = new AtomicLong();
        long writesStart = System.nanoTime();
        long lastSend = 0;
        List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            if (i == members - 1) {
                lastSend = System.nanoTime();
            }
            writes.add(agents.report(group, "node-" + i, "10.9." + i / 250 + "." + i % 250 + " node-" + i, permits)
                    .whenComplete((r, e) -> lastAck.accumulateAndGet(System.nanoTime(), Math::max)));
        }
        for (var write : writes) {
            assertEquals(201, write.get(120, TimeUnit.SECONDS).statusCode());
        }
        long[] done = new long[members];
        for (int i = 0; i < members; i++) {
            done[i] = polls.get(i).get(120, TimeUnit.SECONDS);
        }
        Arrays.sort(done);
        return new long[] { Math.max(0, done[members - 1] - lastAck.get()),
                Math.max(0, done[members / 2] - lastAck.get()), done[members - 1] - lastSend,
                lastAck.get() - writesStart };
    }

    @Test
    void sustainedMemberReportsPerSecondOnOneReplica() throws Exception {
        var agents = new HttpAgents(baseUrl);
        int groups = 4;
        int members = 10_000;
        int concurrency = 128;
        // Warm-up.
        sustained(agents, 1, 2_000, concurrency);
        double before = metric("leaseflow_exchange_member_reports_total", "result=\"claimed\"");
        long start = System.nanoTime();
        int written = sustained(agents, groups, members, concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        double decided = metric("leaseflow_exchange_member_reports_total", "result=\"claimed\"") - before;
        System.out.printf("BENCH sustained: %d native writes (each answered after Kafka ack + owner decision),"
                + " concurrency %d, %.1f s: %.0f reports/s (decided by owner: %.0f)%n", written, concurrency,
                seconds, written / seconds, decided);
    }

    private int sustained(HttpAgents agents, int groups, int members, int concurrency) throws Exception {
        var permits = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
        List<ExchangeClient.Group> created = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            created.add(createGroup(members));
        }
        for (int i = 0; i < members; i++) {
            for (var group : created) {
                writes.add(agents.report(group, "node-" + i, "10.8." + i / 250 + "." + i % 250 + " node-" + i,
                        permits));
            }
        }
        for (var write : writes) {
            assertEquals(201, write.get(300, TimeUnit.SECONDS).statusCode());
        }
        return writes.size();
    }
}
