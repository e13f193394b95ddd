package io.leaseflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;
import io.leaseflow.testing.process.ServiceProcess;

/**
 * Back-pressure of hosts-exchange (issue 9): one replica in its own JVM ({@code -Xmx256m}, as every service the
 * tests start) with {@code polls} long-polls parked at once, then a report storm that completes every group and
 * wakes them all, then polls past {@code max-parked-polls}. Prints the replica's peak RSS, heap and thread count.
 * <pre>
 * ./mvnw -o -q package -DskipTests -pl hosts-exchange,bench -am
 * LEASEFLOW_TEST_INFRA=embedded java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp bench/target/leaseflow-bench.jar \
 *     io.leaseflow.bench.LongPollLoad --polls=10000 --groups=10 --storm-concurrency=256
 * </pre>
 */
public final class LongPollLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    private LongPollLoad(String base, ExecutorService clientThreads) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> knobs = new HashMap<>(Map.of("polls", "10000", "groups", "10", "storm-concurrency",
                "256", "max-parked-polls", "", "over-limit", "100"));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (!knobs.containsKey(kv[0]) || kv.length != 2) {
                throw new IllegalArgumentException("knobs: " + knobs.keySet() + " as --name=value; got " + arg);
            }
            knobs.put(kv[0], kv[1]);
        }
        int polls = Integer.parseInt(knobs.get("polls"));
        int groups = Integer.parseInt(knobs.get("groups"));
        int limit = knobs.get("max-parked-polls").isEmpty() ? polls : Integer.parseInt(knobs.get("max-parked-polls"));

        System.out.println("starting embedded Kafka and PostgreSQL, then hosts-exchange (-Xmx256m)");
        KafkaBroker kafka = KafkaBroker.start();
        PostgresServer postgres = PostgresServer.start();
        String db = postgres.createDatabase("leaseflow_exchange");
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(db));
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(db));
        props.put("quarkus.datasource.username", postgres.username());
        props.put("quarkus.datasource.password", postgres.password());
        props.put("leaseflow.exchange.max-parked-polls", Integer.toString(limit));
        ServiceProcess exchange = ServiceProcess.start("hosts-exchange", FreePort.pick(), props,
                Path.of("bench/target/longpoll-logs"));
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        try {
            exchange.awaitReady(Duration.ofSeconds(120));
            new LongPollLoad(exchange.baseUrl(), clientThreads).run(exchange.pid(), polls, groups,
                    Integer.parseInt(knobs.get("storm-concurrency")), limit, Integer.parseInt(knobs.get("over-limit")));
        } finally {
            clientThreads.shutdownNow();
            exchange.close();
            postgres.close();
            kafka.close();
        }
    }

    private void run(long pid, int polls, int groupCount, int stormConcurrency, int limit, int overLimit)
            throws Exception {
        Sampler sampler = new Sampler(pid);
        sampler.start();
        sample("idle", pid);
        int size = (polls + groupCount - 1) / groupCount;
        List<String[]> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            JsonNode created = send("POST", "/v1/groups", null,
                    "{\"name\":\"load\",\"size\":" + size + ",\"outputs\":[\"hosts\"],\"timeout_s\":3600}").join();
            groups.add(new String[] { created.get("id").asText(), created.get("join_token").asText() });
        }
        long began = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
        for (int i = 0; i < Math.min(polls, limit); i++) {
            String[] g = groups.get(i % groupCount);
            parked.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/groups/" + g[0] + "/inputs?wait=300s"))
                    .header("Authorization", "Bearer " + g[1]).timeout(Duration.ofSeconds(600)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (parkedOnServer() < parked.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        System.out.printf("%d long-polls parked after %.1f s (server gauge %d)%n", parked.size(),
                (System.nanoTime() - began) / 1e9, parkedOnServer());
        sample("parked", pid);

        int refused = 0;
        for (int i = 0; i < overLimit; i++) {
            String[] g = groups.get(i % groupCount);
            var r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/groups/" + g[0] + "/inputs?wait=60s"))
                    .header("Authorization", "Bearer " + g[1]).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                refused++;
            }
        }
        System.out.printf("polls over max-parked-polls=%d: %d of %d refused with 503 + Retry-After%n", limit, refused,
                overLimit);

        System.out.printf("report storm: %d members over %d groups, %d in flight%n", size * groupCount, groupCount,
                stormConcurrency);
        Semaphore permits = new Semaphore(stormConcurrency);
        AtomicInteger errors = new AtomicInteger();
        long stormBegan = System.nanoTime();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int m = 0; m < size; m++) {
            for (String[] g : groups) {
                permits.acquire();
                String key = "node-" + m;
                writes.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/groups/" + g[0] + "/members/" + key))
                        .header("Authorization", "Bearer " + g[1]).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(120))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"outputs\":{\"hosts\":\"10.0." + (m / 250) + "."
                                + (m % 250) + " " + key + "\"}}")).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            permits.release();
                            if (e != null || r.statusCode() / 100 != 2) {
                                errors.incrementAndGet();
                            }
                        }));
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double stormSeconds = (System.nanoTime() - stormBegan) / 1e9;
        AtomicLong complete = new AtomicLong();
        for (var poll : parked) {
            var r = poll.get(5, TimeUnit.MINUTES);
            if (r.statusCode() == 200 && r.body().contains("\"COMPLETE\"")) {
                complete.incrementAndGet();
            }
        }
        System.out.printf("storm: %d reports in %.1f s (%.0f/s), %d errors; %d of %d parked polls answered COMPLETE"
                + " %.1f s after the storm began%n", writes.size(), stormSeconds, writes.size() / stormSeconds,
                errors.get(), complete.get(), parked.size(), (System.nanoTime() - stormBegan) / 1e9);
        sample("after", pid);
        sampler.stop();
        System.out.printf("PEAK hosts-exchange (pid %d, -Xmx256m): RSS high-water %d MiB, heap used max %.0f MiB,"
                + " threads max %d (idle %d)%n", pid, Procs.vmKb(pid, "VmHWM") / 1024, sampler.heapMax / 1048576.0,
                sampler.threadsMax, sampler.threadsIdle);
    }

    private void sample(String phase, long pid) {
        System.out.printf("  %-7s RSS %d MiB, threads %d, heap used %.0f MiB%n", phase, Procs.vmKb(pid, "VmRSS") / 1024,
                Procs.vmKb(pid, "Threads"), heapUsed() / 1048576.0);
    }

    private int parkedOnServer() {
        return (int) metric("leaseflow_exchange_polls_parked");
    }

    private double heapUsed() {
        return metric("jvm_memory_used_bytes{area=\"heap\"");
    }

    private double metric(String prefix) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private CompletableFuture<JsonNode> send(String method, String path, String token, String body) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(r.statusCode() + " " + r.body(), e);
            }
        });
    }

    /** Samples the replica's thread count (/proc) and heap (/q/metrics) every 500 ms. */
    private final class Sampler {
        private final long pid;
        private final Thread thread;
        private volatile boolean running = true;
        volatile long threadsMax;
        volatile long threadsIdle;
        volatile double heapMax;

        Sampler(long pid) {
            this.pid = pid;
            this.threadsIdle = Procs.vmKb(pid, "Threads");
            this.thread = new Thread(this::loop, "longpoll-sampler");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        private void loop() {
            while (running) {
                threadsMax = Math.max(threadsMax, Procs.vmKb(pid, "Threads"));
                heapMax = Math.max(heapMax, heapUsed());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
