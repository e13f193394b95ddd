package io.leaseflow.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * N instances that know nothing of each other at launch: each reports its own hosts line and long-polls for the
 * aggregate, which arrives as soon as the last one has reported.
 */
public final class ExchangeStory {
    private final JsonHttp http = new JsonHttp();
    private final String exchangeUrl;
    private final Consumer<String> narrate;

    /** The aggregate every member received, and the /etc/hosts text. */
    public record Outcome(String groupId, List<JsonNode> received, String etcHosts, Duration lastReportToAll) {
    }

    public ExchangeStory(String exchangeUrl, Consumer<String> narrate) {
        this.exchangeUrl = exchangeUrl;
        this.narrate = narrate;
    }

    public Outcome run(int members) {
        JsonNode group = http.post(exchangeUrl + "/v1/groups", Map.of("name", "demo-cluster", "size", members,
                "outputs", List.of("hosts"), "timeout_s", 300, "on_timeout", "fail"), Map.of()).expect(201).body();
        String id = group.path("id").asText();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + group.path("join_token").asText());
        narrate.accept("hosts-exchange: group " + id + " waits for " + members + " instances");

        List<CompletableFuture<JsonNode>> polls = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> http.get(exchangeUrl + "/v1/groups/" + id
                    + "/inputs?wait=60s", bearer).expect(200).body()));
        }
        long lastReport = 0;
        for (int i = 0; i < members; i++) {
            String key = "node-" + i;
            http.put(exchangeUrl + "/v1/groups/" + id + "/members/" + key,
                    Map.of("outputs", Map.of("hosts", "10.20.0." + (10 + i) + " " + key)), bearer).expect(201);
            lastReport = System.nanoTime();
        }
        List<JsonNode> received = polls.stream().map(CompletableFuture::join).toList();
        Duration spread = Duration.ofNanos(System.nanoTime() - lastReport);
        String etcHosts = http.send("GET", exchangeUrl + "/v1/groups/" + id + "/inputs/hosts?format=etc-hosts", null,
                bearer).expect(200).raw().body();
        narrate.accept("hosts-exchange: all " + members + " instances hold the aggregate " + spread.toMillis()
                + " ms after the last report; /etc/hosts lines:\n" + etcHosts.strip().indent(4).stripTrailing());
        return new Outcome(id, received, etcHosts, spread);
    }
}
