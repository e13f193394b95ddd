package io.leaseflow.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows the simulator's request log ({@code GET /sim/requests?service=heat&method=PATCH}): the instant the
 * simulated Heat received each stack's PATCH, on the same clock as the publisher. The log keeps the last 10,000
 * calls of every kind, so it is read several times a second and remembered here.
 */
final class PatchLog implements AutoCloseable {
    private final Http http = new Http();
    private final String url;
    private final Map<String, Long> firstPatchMicros = new ConcurrentHashMap<>();
    private final Map<String, Integer> patches = new ConcurrentHashMap<>();
    private final Map<String, Integer> statusByCall = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong polls = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    PatchLog(String simUrl) {
        this.url = simUrl + "/sim/requests?service=heat&method=PATCH";
        thread = new Thread(this::run, "bench-patch-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                poll();
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("bench: request log not read: " + e.getMessage());
            }
        }
    }

    void poll() {
        JsonNode calls = http.get(url, Map.of()).expect(200).body();
        for (JsonNode call : calls) {
            String path = call.path("path").asText();
            JsonNode time = call.path("time");
            String key = path + "|" + time.asText();
            String stackId = path.substring(path.lastIndexOf('/') + 1);
            if (seen.add(key)) {
                firstPatchMicros.merge(stackId, micros(time), Math::min);
                patches.merge(stackId, 1, Integer::sum);
            }
            if (call.hasNonNull("status")) {
                statusByCall.put(key, call.path("status").asInt());
            }
        }
        polls.incrementAndGet();
    }

    /** Waits for one more complete read of the log. */
    void sync() {
        long target = polls.get() + 2;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (polls.get() < target && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    Long firstPatch(String stackId) {
        return firstPatchMicros.get(stackId);
    }

    int patchCount(String stackId) {
        return patches.getOrDefault(stackId, 0);
    }

    int failedTotal() {
        return (int) statusByCall.values().stream().filter(s -> s >= 400).count();
    }

    static long micros(JsonNode time) {
        if (time.isNumber()) {
            return new BigDecimal(time.asText()).movePointRight(6).longValue();
        }
        return micros(Instant.parse(time.asText()));
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
