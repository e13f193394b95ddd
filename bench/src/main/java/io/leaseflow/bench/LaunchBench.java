package io.leaseflow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.openstack.KeystoneRequests;

/**
 * Lease start to Heat request. leaseflow: upstream-format {@code lease.event.start_lease} notifications published to
 * exchange {@code openstack} at a fixed rate, each for a lease with one reservation and an INIT_COMPLETE stack bound to
 * it in stack-launcher; latency = publish instant to the instant the simulated Heat received the stack's PATCH.
 * Baseline: Blazar's periodic task (every 10 s, due leases, Heat called synchronously one at a time) on the same
 * schedule against the same simulator; latency = the lease's start instant to Heat receiving the PATCH.
 */
final class LaunchBench implements AutoCloseable {
    private static final String SAMPLE = "samples/blazar/wire/upstream-004-lease.event.start_lease.body";
    private static final DateTimeFormatter BLAZAR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter OSLO_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter OSLO_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** One lease start to drive: the stack it must launch and the notification announcing it. */
    record Start(String leaseId, String reservationId, String stackName, String stackId) {
    }

    /** One measured phase. */
    record Result(String name, double targetRate, int starts, double publishedPerSecond, double heatPerSecond,
            Histogram latencyMicros, Histogram watcherMicros, Histogram launcherMicros, int notLaunched, int unmeasured, int errors, int extraPatches,
            Map<String, Double> cpuShare, String note) {
    }

    private final Http http = new Http();
    private final String sim;
    private final String launcher;
    private final AmqpBroker amqp;
    private final PatchLog patchLog;
    private final LeaseEventTap tap;
    private final String sample;
    private final ExecutorService setupPool;
    private String token;
    private String userId;
    private String projectId;
    private String heat;
    private String blazar;
    private final AtomicInteger serial = new AtomicInteger();

    LaunchBench(String simUrl, String launcherUrl, AmqpBroker amqp, String kafkaBootstrap, int setupThreads) {
        this.tap = new LeaseEventTap(kafkaBootstrap);
        this.sim = simUrl;
        this.launcher = launcherUrl;
        this.amqp = amqp;
        this.patchLog = new PatchLog(simUrl);
        this.setupPool = Executors.newFixedThreadPool(setupThreads, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(SAMPLE + " not on the class path");
            }
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        login();
    }

    private void login() {
        Http.Reply auth = http.post(sim + "/identity/v3/auth/tokens",
                KeystoneRequests.passwordAuth("demo", "secret", "demo"), Map.of()).expect(201);
        token = auth.header("X-Subject-Token");
        userId = auth.body().at("/token/user/id").asText();
        projectId = auth.body().at("/token/project/id").asText();
        heat = KeystoneRequests.publicEndpoint(auth.body(), "orchestration");
        blazar = KeystoneRequests.publicEndpoint(auth.body(), "reservation");
    }

    /**
     * Creates {@code n} leases in Blazar (starting in 30 days, so that the simulator's own clock leaves them alone),
     * an INIT_COMPLETE stack for each in Heat and, when {@code bind}, binds each stack to its lease in stack-launcher.
     */
    List<Start> prepare(int n, boolean bind) {
        List<Future<Start>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(setupPool.submit(() -> prepareOne(bind)));
        }
        List<Start> starts = new ArrayList<>(n);
        for (Future<Start> f : futures) {
            try {
                starts.add(f.get());
            } catch (Exception e) {
                throw new IllegalStateException("setup failed: " + e.getMessage(), e);
            }
        }
        return starts;
    }

    private Start prepareOne(boolean bind) {
        Map<String, String> asUser = Map.of("X-Auth-Token", token);
        String name = "bench-" + serial.incrementAndGet();
        JsonNode created = http.post(heat + "/stacks", Map.of("stack_name", name, "initialize", true,
                "template", template(), "parameters", Map.of()), asUser).expect(201).body();
        String stackId = created.at("/stack/id").asText();
        if (!bind) {
            return new Start(UUID.randomUUID().toString(), UUID.randomUUID().toString(), name, stackId);
        }
        Instant start = Instant.now().plus(30, ChronoUnit.DAYS);
        JsonNode lease = http.post(blazar + "/leases", Map.of("name", name, "start_date", blazarDate(start),
                "end_date", blazarDate(start.plus(1, ChronoUnit.HOURS)),
                "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1,
                        "hypervisor_properties", "", "resource_properties", "")),
                "events", List.of()), asUser).expect(201).body().path("lease");
        String leaseId = lease.path("id").asText();
        String reservationId = lease.path("reservations").get(0).path("id").asText();
        http.post(launcher + "/v1/bindings", Map.of("lease_id", leaseId, "heat_stack_id", stackId), asUser)
                .expect(201);
        return new Start(leaseId, reservationId, name, stackId);
    }

    /** The captured upstream notification, byte for byte, with this lease's ids and fresh message ids and dates. */
    byte[] notification(Start s) {
        Instant now = Instant.now();
        return sample.replace("6ee55c78-ac52-41a6-99af-2d2d73bcc466", s.leaseId())
                .replace("cd613e30-d8f1-4adf-91b7-584a2265b1f5", s.reservationId())
                .replace("91f8620e-089d-4cc3-bae9-c47628f537fe", UUID.randomUUID().toString())
                .replace("b9ab767d844d4468a7088ad610556ec9", UUID.randomUUID().toString().replace("-", ""))
                .replace("5434f637520d4c17bbf254af034b0320", userId)
                .replace("aa45f56901ef45ee95e3d211097c0ea3", projectId)
                .replace("2017-12-26T12:00:00.000000", osloDate(now.minusSeconds(1)))
                .replace("2017-12-27T12:00:00.000000", osloDate(now.plus(1, ChronoUnit.DAYS)))
                .replace("2026-11-25 13:07:59.544903", LocalDateTime.ofInstant(now, ZoneOffset.UTC).format(OSLO_TIMESTAMP))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes the starts at {@code rate}/s from this thread's own loop and measures until Heat saw them all. */
    Result runLeaseflow(String name, double rate, List<Start> starts, Map<String, Long> pids, double drainSeconds,
            String note) {
        List<byte[]> bodies = starts.stream().map(this::notification).toList();
        long[] published = new long[starts.size()];
        int failedBefore = patchLog.failedTotal();
        CpuWindow cpu = new CpuWindow(pids);
        int publishErrors = 0;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(amqp.host());
        factory.setPort(amqp.port());
        factory.setUsername(amqp.username());
        factory.setPassword(amqp.password());
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").deliveryMode(2).priority(0).headers(Map.of()).build();
        try (Connection connection = factory.newConnection("leaseflow-bench"); Channel channel = connection.createChannel()) {
            long t0 = System.nanoTime() + 100_000_000L;
            for (int i = 0; i < bodies.size(); i++) {
                long due = t0 + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                published[i] = PatchLog.nowMicros();
                try {
                    channel.basicPublish("openstack", "notifications.info", props, bodies.get(i));
                } catch (IOException e) {
                    publishErrors++;
                    published[i] = -1;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to AMQP: " + e.getMessage(), e);
        }
        awaitPatches(starts, 20, drainSeconds);
        return result(name, rate, starts, published, publishErrors, failedBefore, cpu.shares(), note);
    }

    /**
     * Blazar today: a periodic task every {@code tickSeconds} takes the leases due by now and calls Heat for each,
     * synchronously, one at a time. Lease i starts at t0 + i/rate, the same schedule as the published load.
     */
    Result runBaseline(String name, double rate, List<Start> starts, double tickSeconds, Map<String, Long> pids) {
        long[] due = new long[starts.size()];
        long t0 = PatchLog.nowMicros() + 100_000;
        for (int i = 0; i < due.length; i++) {
            due[i] = t0 + (long) (i * 1e6 / rate);
        }
        int failedBefore = patchLog.failedTotal();
        CpuWindow cpu = new CpuWindow(pids);
        Map<String, String> asUser = Map.of("X-Auth-Token", token);
        int errors = 0;
        int next = 0;
        long tick = t0;
        while (next < starts.size()) {
            tick += (long) (tickSeconds * 1e6);
            long sleep = (tick - PatchLog.nowMicros()) / 1000;
            if (sleep > 0) {
                PatchLog.sleep(sleep);
            }
            long now = PatchLog.nowMicros();
            while (next < starts.size() && due[next] <= now) {
                Start s = starts.get(next++);
                try {
                    Http.Reply r = http.send("PATCH", heat + "/stacks/" + s.stackName() + "/" + s.stackId(),
                            Map.of("parameters", Map.of("reservation_id", s.reservationId())), asUser);
                    if (!r.ok()) {
                        errors++;
                    }
                } catch (RuntimeException e) {
                    errors++;
                }
            }
        }
        awaitPatches(starts, 15, 120);
        Result r = result(name, rate, starts, due, errors, failedBefore, cpu.shares(),
                "tick " + tickSeconds + " s; Heat called synchronously, one lease at a time");
        return r;
    }

    /** Until Heat saw every start, or nothing moved for {@code maxQuietSeconds}, or {@code maxSeconds} passed. */
    private void awaitPatches(List<Start> starts, double maxQuietSeconds, double maxSeconds) {
        long began = System.nanoTime();
        long lastProgress = System.nanoTime();
        int lastSeen = -1;
        while (true) {
            patchLog.sync();
            int seen = 0;
            for (Start s : starts) {
                if (patchLog.firstPatch(s.stackId()) != null) {
                    seen++;
                }
            }
            if (seen == starts.size()) {
                return;
            }
            if (System.nanoTime() - began > maxSeconds * 1e9) {
                return;
            }
            if (seen != lastSeen) {
                lastSeen = seen;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > maxQuietSeconds * 1e9
                    || System.nanoTime() - began > maxSeconds * 1e9) {
                return;
            }
            PatchLog.sleep(200);
        }
    }

    private Result result(String name, double rate, List<Start> starts, long[] sentMicros, int sendErrors,
            int failedBefore, Map<String, Double> cpu, String note) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        Histogram watcher = new Histogram(3_600_000_000L, 3);
        Histogram launcherStage = new Histogram(3_600_000_000L, 3);
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        long lastPatch = Long.MIN_VALUE;
        int notLaunched = 0;
        int unmeasured = 0;
        int extra = 0;
        for (int i = 0; i < starts.size(); i++) {
            if (sentMicros[i] < 0) {
                continue;
            }
            firstSent = Math.min(firstSent, sentMicros[i]);
            lastSent = Math.max(lastSent, sentMicros[i]);
            Start s = starts.get(i);
            Long patch = patchLog.firstPatch(s.stackId());
            if (patch == null) {
                // Not in the log: launched anyway (the log is bounded) or really never launched?
                JsonNode stack = http.get(sim + "/sim/stacks/" + s.stackId(), Map.of()).body().path("stack");
                if (s.reservationId().equals(stack.path("parameters").path("reservation_id").asText())) {
                    unmeasured++;
                } else {
                    notLaunched++;
                }
                continue;
            }
            extra += Math.max(0, patchLog.patchCount(s.stackId()) - 1);
            lastPatch = Math.max(lastPatch, patch);
            h.recordValue(Math.max(0, patch - sentMicros[i]));
            Long kafka = tap.startedMicros(s.leaseId());
            if (kafka != null) {
                watcher.recordValue(Math.max(0, kafka - sentMicros[i]));
                launcherStage.recordValue(Math.max(0, patch - kafka));
            }
        }
        int sent = starts.size() - sendErrors;
        double publishRate = sent <= 1 ? 0 : (sent - 1) / ((lastSent - firstSent) / 1e6);
        double heatRate = h.getTotalCount() <= 1 ? 0 : h.getTotalCount() / ((lastPatch - firstSent) / 1e6);
        int heatErrors = patchLog.failedTotal() - failedBefore;
        return new Result(name, rate, starts.size(), publishRate, heatRate, h, watcher, launcherStage, notLaunched, unmeasured,
                sendErrors + heatErrors + notLaunched, extra, cpu, note);
    }

    private static Map<String, Object> template() {
        return Map.of(
                "heat_template_version", "2018-08-31",
                "parameters", Map.of("reservation_id", Map.of("type", "string", "default", "",
                        "description", "Blazar reservation to launch into")),
                "resources", Map.of("node", Map.of("type", "OS::Nova::Server", "properties", Map.of(
                        "image", "CC-Ubuntu22.04", "flavor", "baremetal",
                        "scheduler_hints", Map.of("reservation", Map.of("get_param", "reservation_id"))))),
                "outputs", Map.of());
    }


    private static String blazarDate(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR_DATE);
    }

    private static String osloDate(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(OSLO_DATE);
    }

    @Override
    public void close() {
        patchLog.close();
        tap.close();
        setupPool.shutdownNow();
    }
}
