package io.leaseflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * hosts-exchange: a group of N members, every member parked on the long-poll ({@code GET .../inputs?wait=60s}),
 * then N reports ({@code PUT .../members/{key}}, {@code concurrency} in flight); measured: last report sent to each
 * member holding the complete aggregate. Baseline: the same members following os-collect-config's schedule (first
 * poll 1 s after their own report, interval doubling to a 30 s cap), evaluated in virtual time against the measured
 * report and completion instants of this very run.
 */
final class ExchangeBench {
    private static final long[] OCC_SCHEDULE = occSchedule();
    private final Http http = new Http();
    private final String exchange;

    record GroupResult(int size, Histogram lastReportToMember, double reportsPerSecond, Histogram putMicros,
            int errors, Histogram baselineMicros, long baselineCompletionMicros) {
    }

    record SustainedResult(double seconds, long reports, double reportsPerSecond, Histogram putMicros, int errors,
            int groups, Map<String, Double> cpuShare) {
    }

    ExchangeBench(String exchangeUrl) {
        this.exchange = exchangeUrl;
    }

    GroupResult runGroup(int size, int concurrency) {
        JsonNode group = http.post(exchange + "/v1/groups", Map.of("name", "bench-" + size, "size", size,
                "outputs", List.of("hosts"), "timeout_s", 600, "on_timeout", "fail"), Map.of()).expect(201).body();
        String id = group.path("id").asText();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + group.path("join_token").asText());
        long[] received = new long[size];
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<Void>> polls = new ArrayList<>(size);
        // Every member must receive the same complete aggregate: the first body is parsed and checked, the others
        // compared with it (parsing thousands of large bodies here would be charged to the service's latency).
        AtomicReference<String> first = new AtomicReference<>();
        for (int i = 0; i < size; i++) {
            int member = i;
            polls.add(http.sendAsyncRaw("GET", exchange + "/v1/groups/" + id + "/inputs?wait=120s", bearer,
                    Duration.ofSeconds(150)).handle((r, failure) -> {
                        received[member] = PatchLog.nowMicros();
                        if (failure != null || r.statusCode() != 200 || !sameAggregate(first, r.body(), size)) {
                            errors.incrementAndGet();
                            received[member] = -1;
                        }
                        return null;
                    }));
        }
        // Let every poll connect and park before the first report.
        PatchLog.sleep(1_000 + size / 2);
        long[] sent = new long[size];
        long[] acked = new long[size];
        Histogram put = new Histogram(3_600_000_000L, 3);
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<Void>> puts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int member = i;
            inFlight.acquireUninterruptibly();
            sent[member] = PatchLog.nowMicros();
            puts.add(http.sendAsync("PUT", exchange + "/v1/groups/" + id + "/members/node-" + i,
                    Map.of("outputs", Map.of("hosts", "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256)
                            + " node-" + i)), bearer, Duration.ofSeconds(60)).handle((r, failure) -> {
                                acked[member] = PatchLog.nowMicros();
                                inFlight.release();
                                if (failure != null || (r.status() != 201 && r.status() != 200)) {
                                    errors.incrementAndGet();
                                }
                                put.recordValue(Math.max(0, acked[member] - sent[member]));
                                return null;
                            }));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        long lastSent = Arrays.stream(sent).max().orElseThrow();
        long firstSent = Arrays.stream(sent).min().orElseThrow();
        long lastAck = Arrays.stream(acked).max().orElseThrow();
        try {
            CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
        } catch (Exception e) {
            errors.incrementAndGet();
        }
        Histogram toMember = new Histogram(3_600_000_000L, 3);
        long completion = Long.MAX_VALUE;
        for (long r : received) {
            if (r > 0) {
                toMember.recordValue(Math.max(0, r - lastSent));
                completion = Math.min(completion, r);
            }
        }
        // Baseline: member i's agent reported at acked[i] (its export deployment signalled), then polls at
        // acked[i] + 1, 3, 7, 15, 31, 61, 91, ... s; it holds the aggregate at its first poll at or after the
        // instant the aggregate existed (the measured completion); the poll's own service time is not added.
        Histogram baseline = new Histogram(3_600_000_000L, 3);
        long worst = 0;
        for (long a : acked) {
            long poll = a;
            for (long step : OCC_SCHEDULE) {
                poll = a + step;
                if (poll >= completion) {
                    break;
                }
            }
            long latency = Math.max(0, poll - lastSent);
            baseline.recordValue(latency);
            worst = Math.max(worst, latency);
        }
        double reportsPerSecond = size / ((lastAck - firstSent) / 1e6);
        return new GroupResult(size, toMember, reportsPerSecond, put, errors.get(), baseline, worst);
    }

    /** The first body must be COMPLETE with {@code size} hosts; every later one must equal it. */
    private static boolean sameAggregate(AtomicReference<String> first, String body, int size) {
        if (first.compareAndSet(null, body)) {
            JsonNode json;
            try {
                json = Http.JSON.readTree(body);
            } catch (java.io.IOException e) {
                first.set("(the first aggregate was not JSON)");
                return false;
            }
            if (!"COMPLETE".equals(json.path("status").asText()) || json.at("/inputs/hosts").size() != size) {
                first.set("(the first aggregate was not complete)");
                return false;
            }
            return true;
        }
        return body.equals(first.get());
    }

    /** Reports for {@code seconds}, {@code concurrency} in flight, into fresh groups of 1,000, nobody polling. */
    SustainedResult sustained(double seconds, int concurrency, Map<String, Long> pids) {
        int groupSize = 1_000;
        Histogram put = new Histogram(3_600_000_000L, 3);
        AtomicInteger errors = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        Semaphore inFlight = new Semaphore(concurrency);
        CpuWindow cpu = new CpuWindow(pids);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int groups = 0;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        outer:
        while (true) {
            JsonNode group = http.post(exchange + "/v1/groups", Map.of("name", "bench-sustained-" + groups,
                    "size", groupSize, "outputs", List.of("hosts"), "timeout_s", 600, "on_timeout", "fail"), Map.of())
                    .expect(201).body();
            groups++;
            String id = group.path("id").asText();
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + group.path("join_token").asText());
            for (int i = 0; i < groupSize; i++) {
                if (System.nanoTime() >= end) {
                    break outer;
                }
                inFlight.acquireUninterruptibly();
                long sent = System.nanoTime();
                pending.add(http.sendAsync("PUT", exchange + "/v1/groups/" + id + "/members/node-" + i,
                        Map.of("outputs", Map.of("hosts", "10.1." + (i / 256) + "." + (i % 256) + " node-" + i)),
                        bearer, Duration.ofSeconds(60)).handle((r, failure) -> {
                            inFlight.release();
                            put.recordValue((System.nanoTime() - sent) / 1_000);
                            if (failure != null || (r.status() != 201 && r.status() != 200)) {
                                errors.incrementAndGet();
                            } else {
                                ok.incrementAndGet();
                            }
                            return null;
                        }));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new SustainedResult(elapsed, ok.get(), ok.get() / elapsed, put, errors.get(), groups, cpu.shares());
    }

    /** Offsets (µs) of os-collect-config's polls after a change: 1 s, doubling, capped at 30 s, for an hour. */
    private static long[] occSchedule() {
        List<Long> offsets = new ArrayList<>();
        long t = 0;
        long interval = 1;
        while (t < 3_600) {
            t += interval;
            offsets.add(t * 1_000_000L);
            interval = Math.min(interval * 2, 30);
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }
}
