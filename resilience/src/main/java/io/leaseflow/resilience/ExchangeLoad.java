package io.leaseflow.resilience;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exchange side of the suite: groups whose members report at random moments of the chaos window and then
 * long-poll for the aggregate, retrying through outages as an agent does. A member whose report's answer was lost
 * (the service died after storing it) finds its key claimed on retry; the aggregate then must still hold its value.
 */
final class ExchangeLoad {
    private final Http http = new Http();
    private final String exchange;

    /** What each member of a group ended up holding ({@code inputs}), or the reason it holds nothing. */
    record GroupOutcome(String groupId, int size, Map<String, JsonNode> received, Map<String, String> failures) {
        /** Every member holds the same aggregate and it has every member's own line. */
        boolean consistent() {
            if (!failures.isEmpty() || received.size() != size) {
                return false;
            }
            JsonNode first = received.values().iterator().next();
            if (!received.values().stream().allMatch(first::equals)) {
                return false;
            }
            JsonNode hosts = first.path("hosts");
            for (int i = 0; i < size; i++) {
                if (!line(groupId, i).equals(hosts.path(key(i)).asText(null))) {
                    return false;
                }
            }
            return true;
        }
    }

    ExchangeLoad(String exchange) {
        this.exchange = exchange;
    }

    List<GroupOutcome> run(int groups, int members, Duration window, Duration deadline, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(groups * members);
        try {
            List<String> ids = new ArrayList<>();
            Map<String, String> tokens = new HashMap<>();
            for (int g = 0; g < groups; g++) {
                JsonNode group = http.send("POST", exchange + "/v1/groups", Map.of("name", "chaos-" + g,
                        "size", members, "outputs", List.of("hosts"), "timeout_s", 3600, "on_timeout", "fail"),
                        Map.of()).expect(201).body();
                ids.add(group.path("id").asText());
                tokens.put(group.path("id").asText(), group.path("join_token").asText());
            }
            Random random = new Random(seed);
            long end = System.nanoTime() + deadline.toNanos();
            Map<String, Map<String, Future<JsonNode>>> futures = new HashMap<>();
            for (String id : ids) {
                for (int i = 0; i < members; i++) {
                    long delay = (long) (random.nextDouble() * window.toMillis());
                    int member = i;
                    futures.computeIfAbsent(id, k -> new HashMap<>()).put(key(i), pool.submit(
                            () -> member(id, tokens.get(id), member, delay, end)));
                }
            }
            List<GroupOutcome> outcomes = new ArrayList<>();
            for (String id : ids) {
                Map<String, JsonNode> received = new ConcurrentHashMap<>();
                Map<String, String> failures = new ConcurrentHashMap<>();
                for (Map.Entry<String, Future<JsonNode>> m : futures.get(id).entrySet()) {
                    try {
                        received.put(m.getKey(), m.getValue().get(Math.max(1, end - System.nanoTime()),
                                TimeUnit.NANOSECONDS));
                    } catch (Exception e) {
                        failures.put(m.getKey(), e.toString());
                    }
                }
                outcomes.add(new GroupOutcome(id, members, received, failures));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode member(String groupId, String joinToken, int index, long delayMillis, long endNanos)
            throws Exception {
        Thread.sleep(delayMillis);
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + joinToken);
        String url = exchange + "/v1/groups/" + groupId + "/members/" + key(index);
        boolean attempted = false;
        while (true) {
            requireTime(endNanos, "report");
            try {
                Http.Reply r = http.send("PUT", url, Map.of("outputs", Map.of("hosts", line(groupId, index))), bearer,
                        Duration.ofSeconds(10));
                if (r.status() / 100 == 2) {
                    break;
                }
                if (attempted && (r.status() == 403 || r.status() == 409)) {
                    break; // an earlier attempt stored it; its answer (with the secret) was lost with the process
                }
                if (r.status() / 100 == 4) {
                    throw new IllegalStateException("report refused: HTTP " + r.status() + " " + r.raw().body());
                }
            } catch (IOException e) {
                // the service is down or restarting: retry, as an agent does
            }
            attempted = true;
            Thread.sleep(500);
        }
        while (true) {
            requireTime(endNanos, "aggregate");
            try {
                Http.Reply r = http.send("GET", exchange + "/v1/groups/" + groupId + "/inputs?wait=20s", null, bearer,
                        Duration.ofSeconds(30));
                if (r.status() == 200 && "COMPLETE".equals(r.body().path("status").asText())) {
                    return r.body().path("inputs");
                }
                if (r.status() / 100 == 4 && r.status() != 408 && r.status() != 429) {
                    throw new IllegalStateException("inputs refused: HTTP " + r.status() + " " + r.raw().body());
                }
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
    }

    private static void requireTime(long endNanos, String what) {
        if (System.nanoTime() > endNanos) {
            throw new IllegalStateException("no " + what + " before the deadline");
        }
    }

    static String key(int index) {
        return "node-" + index;
    }

    static String line(String groupId, int index) {
        return "10.30." + (index / 250) + "." + (index % 250 + 1) + " " + key(index) + "-" + groupId.substring(0, 8);
    }
}
