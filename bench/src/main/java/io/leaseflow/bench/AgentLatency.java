package io.leaseflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;
import io.leaseflow.testing.process.ServiceProcess;

/**
 * Issue 13: each hosts-exchange phase's latency with the real Heat agent (Debian's os-collect-config 12 with
 * os-refresh-config and os-apply-config, heat-agents pieces reconstructed: see {@code resources/heat-agent/README.md}),
 * with the polling hosts-exchange steers ({@code open-polling-interval} 2 s while the group is open, the defaults) and
 * with default polling (both intervals 30 s, so the served block never changes the agent's cadence).
 * <p>
 * Per mode, {@code groups} groups of {@code members} run at the same time (more samples in the same minutes); each
 * member is one os-collect-config process against its own capability URL, member {@code i} of a group booting at
 * {@code i × stagger + U[0, stagger)} seconds (servers do not boot at the same instant; with members started together
 * the group completes before any agent has backed off, and both modes measure the same thing; the random part, seeded
 * and the same in both modes, keeps the agents' backoff schedules from lining up with the completion the same way in
 * every run).
 * Per member: export = capability URL issued → its export signal reached hosts-exchange; populate = group complete
 * (the group's {@code closed_at}) → its populate signal reached hosts-exchange, with the hosts file holding every
 * member's line; end to end = first capability issued → every member populated. Signals and polls are timed by a
 * pass-through in front of the capability URLs ({@link CapabilityTap}).
 * <pre>
 * bin/agent-latency                     # installs the Debian packages when missing, builds, runs, writes bench/AGENT-LATENCY.md
 * bin/agent-latency --members=8 --stagger=5
 * </pre>
 */
public final class AgentLatency {
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("members", "4");                // os-collect-config processes per group
        DEFAULTS.put("groups", "3");                 // groups per mode, run at the same time (more samples)
        DEFAULTS.put("stagger", "10");               // member i boots at i x stagger + U[0, stagger) seconds
        DEFAULTS.put("seed", "13");                  // of those random offsets (the same schedule in every mode)
        DEFAULTS.put("modes", "steered,default");    // steered = hosts-exchange's defaults (2 s open, 30 s closed)
        DEFAULTS.put("timeout", "150");              // seconds after the last boot to wait for every populate signal
        DEFAULTS.put("out", "bench/AGENT-LATENCY.md");
        DEFAULTS.put("append", "false");             // true: add this run's report below the file's content
        DEFAULTS.put("work", "bench/target/agent-latency");
    }

    /** After the last populate signal: long enough for the agents' re-exec and a few polls at the closed cadence. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private final Map<String, String> knobs;
    private final Http http = new Http();

    private AgentLatency(Map<String, String> knobs) {
        this.knobs = knobs;
    }

    /** One member's run, every instant on this machine's wall clock (hosts-exchange's {@code closed_at} too). */
    record MemberRun(String key, Instant issued, Instant exportReceived, Instant populateServed,
            Instant populateReceived, int populateCode, String populateStdout,
            List<String> hostsLines, String hostsInput, JsonNode hostsDeployedInput, int execs,
            List<CapabilityTap.Hit> hits) {
    }

    /** One group: when its first member booted, when hosts-exchange completed it, its members. */
    record GroupRun(String name, Instant start, Instant closedAt, String status, List<MemberRun> members) {
        Instant lastExportReceived() {
            return members.stream().map(MemberRun::exportReceived).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
        }

        boolean allPopulated() {
            return members.stream().allMatch(m -> m.populateReceived() != null
                    && m.hostsLines().size() == members.size());
        }
    }

    /** The groups run under one polling mode. */
    record ModeRun(String mode, int openInterval, int closedInterval, List<GroupRun> groups) {
        boolean allPopulated() {
            return groups.stream().allMatch(GroupRun::allPopulated);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> knobs = new LinkedHashMap<>(DEFAULTS);
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (!knobs.containsKey(kv[0]) || kv.length != 2) {
                throw new IllegalArgumentException("knobs: " + knobs.keySet() + " as --name=value; got " + arg);
            }
            knobs.put(kv[0], kv[1]);
        }
        for (String tool : HeatAgentMachine.DEBIAN_TOOLS) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: bin/agent-latency installs python3-os-collect-config,"
                        + " python3-os-apply-config and python3-os-refresh-config");
            }
        }
        System.out.println("starting embedded Kafka and PostgreSQL");
        try (KafkaBroker kafka = KafkaBroker.start(); PostgresServer postgres = PostgresServer.start()) {
            AgentLatency bench = new AgentLatency(knobs);
            List<ModeRun> runs = new ArrayList<>();
            for (String mode : knobs.get("modes").split(",")) {
                runs.add(bench.run(mode.trim(), kafka, postgres));
            }
            String report = AgentLatencyReport.markdown(runs, knobs);
            System.out.println();
            System.out.println(AgentLatencyReport.table(runs));
            Path out = Path.of(knobs.get("out"));
            if (Boolean.parseBoolean(knobs.get("append")) && Files.exists(out)) {
                Files.writeString(out, Files.readString(out) + "\n---\n\n" + report);
            } else {
                Files.writeString(out, report);
            }
            System.out.println("written to " + out);
            if (!runs.stream().allMatch(ModeRun::allPopulated)) {
                System.err.println("not every member was populated: see " + out);
                System.exit(1);
            }
        }
    }

    private ModeRun run(String mode, KafkaBroker kafka, PostgresServer postgres) throws Exception {
        int open = switch (mode) {
            case "steered" -> 2;
            case "default" -> 30;
            default -> throw new IllegalArgumentException("mode: steered or default, got " + mode);
        };
        int closed = 30;
        Path work = Path.of(knobs.get("work"), mode);
        int exchangePort = FreePort.pick();
        try (CapabilityTap tap = new CapabilityTap(FreePort.pick(), "http://127.0.0.1:" + exchangePort)) {
            String db = postgres.createDatabase("agent_latency_" + mode);
            Map<String, String> props = new HashMap<>();
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(db));
            props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(db));
            props.put("quarkus.datasource.username", postgres.username());
            props.put("quarkus.datasource.password", postgres.password());
            props.put("leaseflow.topic-suffix", "-agent-" + mode);
            props.put("quarkus.otel.sdk.disabled", "true");  // no collector here
            // every URL in the metadata (metadata_url, signal URLs) leads through the tap
            props.put("leaseflow.exchange.public-url", tap.baseUrl());
            if (!mode.equals("steered")) {
                props.put("leaseflow.exchange.heat.open-polling-interval", Integer.toString(open));
                props.put("leaseflow.exchange.heat.closed-polling-interval", Integer.toString(closed));
            }
            System.out.printf("%n[%s] hosts-exchange with open-polling-interval=%d, closed-polling-interval=%d%n", mode,
                    open, closed);
            try (ServiceProcess exchange = ServiceProcess.start("hosts-exchange", exchangePort, props,
                    work.resolve("logs"))) {
                // stopped with the benchmark, also when that is Ctrl-C
                Thread stopExchange = new Thread(exchange::close, "hosts-exchange-stop");
                Runtime.getRuntime().addShutdownHook(stopExchange);
                exchange.awaitReady(Duration.ofSeconds(120));
                int groups = Integer.parseInt(knobs.get("groups"));
                ExecutorService threads = Executors.newFixedThreadPool(groups);
                try {
                    List<Future<GroupRun>> running = new ArrayList<>();
                    for (int g = 0; g < groups; g++) {
                        int index = g;
                        running.add(threads.submit(() -> runGroup(mode, index, exchange.baseUrl(), tap, work)));
                    }
                    List<GroupRun> runs = new ArrayList<>();
                    for (Future<GroupRun> run : running) {
                        runs.add(run.get());
                    }
                    return new ModeRun(mode, open, closed, runs);
                } finally {
                    threads.shutdownNow();
                    Runtime.getRuntime().removeShutdownHook(stopExchange);
                }
            }
        }
    }

    private GroupRun runGroup(String mode, int index, String base, CapabilityTap tap, Path work)
            throws InterruptedException {
        int members = Integer.parseInt(knobs.get("members"));
        long staggerMs = Math.round(Double.parseDouble(knobs.get("stagger")) * 1000);
        String name = "g" + index;
        ObjectNode create = Http.JSON.createObjectNode();
        create.put("name", "agent-latency-" + mode + "-" + name);
        create.put("size", members);
        create.putArray("outputs").add("hosts");
        create.put("timeout_s", 900);
        ObjectNode export = create.putObject("heat").putObject("export");
        export.put("group", "script");
        export.put("config", HeatAgentMachine.exportScript());
        JsonNode group = http.post(base + "/v1/groups", create, Map.of()).expect(201).body();
        String groupUrl = base + "/v1/groups/" + group.get("id").asText();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + group.get("join_token").asText());

        // Servers do not boot on a grid: evenly spaced boots would line every agent's backoff (polls 1, 3, 7, 15,
        // 31, 61 s after its boot) up with the completion the same way in every run. Same schedule in every mode.
        SplittableRandom random = new SplittableRandom(Long.parseLong(knobs.get("seed")) + index);
        List<Long> boots = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            boots.add(i == 0 ? 0 : i * staggerMs + (long) (random.nextDouble() * staggerMs));
        }
        List<HeatAgentMachine> machines = new ArrayList<>();
        Map<String, Instant> issued = new LinkedHashMap<>();
        Instant start = Instant.now();
        try {
            for (int i = 0; i < members; i++) {
                sleepUntil(start.plusMillis(boots.get(i)));
                String key = "node-" + i;
                // the capability is issued as the server boots: export latency is the agent's alone
                JsonNode capability = http.post(groupUrl + "/heat-members/" + key, null, auth).expect(201).body();
                issued.put(key, Instant.now());
                String metadataUrl = capability.get("metadata_url").asText();
                tap.register(metadataUrl, name + "/" + key);
                HeatAgentMachine machine = HeatAgentMachine.install(work.resolve(name).resolve(key), name + "/" + key,
                        metadataUrl);
                machine.start();
                machines.add(machine);
                System.out.printf("[%s] %s/%s booted at +%.1f s (os-collect-config pid %d)%n", mode, name, key,
                        seconds(start, Instant.now()), machine.pid());
            }
            Instant deadline = Instant.now().plusSeconds(Long.parseLong(knobs.get("timeout")));
            while (Instant.now().isBefore(deadline) && !machines.stream().allMatch(m -> populated(tap, m, members))) {
                for (HeatAgentMachine m : machines) {
                    if (!m.alive()) {
                        throw new IllegalStateException(m.key() + "'s os-collect-config exited; see " + m.log());
                    }
                }
                Thread.sleep(100);
            }
            System.out.printf("[%s] %s: %s after +%.1f s%n", mode, name,
                    machines.stream().allMatch(m -> populated(tap, m, members)) ? "every member populated"
                            : "timed out", seconds(start, Instant.now()));
            // the agent re-executes after its command returned, i.e. after the populate signal: let it
            Thread.sleep(SETTLE.toMillis());
            JsonNode view = http.get(groupUrl, Map.of()).expect(200).body();
            Instant closedAt = view.hasNonNull("closed_at") ? Instant.parse(view.get("closed_at").asText()) : null;
            List<MemberRun> runs = machines.stream()
                    .map(m -> memberRun(m, issued.get(m.key().substring(name.length() + 1)), tap)).toList();
            return new GroupRun(name, start, closedAt, view.path("status").asText(), runs);
        } finally {
            machines.forEach(HeatAgentMachine::close);
        }
    }

    private static boolean populated(CapabilityTap tap, HeatAgentMachine machine, int members) {
        return tap.hits(machine.key()).stream().anyMatch(h -> h.kind().equals("populate") && h.status() == 200)
                && machine.hostsLines().size() == members;
    }

    private static MemberRun memberRun(HeatAgentMachine m, Instant issued, CapabilityTap tap) {
        List<CapabilityTap.Hit> hits = tap.hits(m.key());
        CapabilityTap.Hit export = first(hits, "export");
        CapabilityTap.Hit populate = first(hits, "populate");
        Instant served = hits.stream().filter(h -> h.kind().equals("poll") && h.servedPopulate())
                .map(CapabilityTap.Hit::received).findFirst().orElse(null);
        JsonNode deployed = m.deployedPopulate();
        JsonNode hostsInput = null;
        if (deployed != null) {
            for (JsonNode input : deployed.path("inputs")) {
                if (input.path("name").asText().equals("hosts")) {
                    hostsInput = input;
                }
            }
        }
        return new MemberRun(m.key(), issued, export == null ? null : export.received(), served,
                populate == null ? null : populate.received(),
                populate == null || populate.signal() == null ? -1 : populate.signal().statusCode(),
                populate == null || populate.signal() == null ? "" : populate.signal().stdout().trim(),
                m.hostsLines(), m.hostsInput(), hostsInput, m.execs(), hits);
    }

    private static CapabilityTap.Hit first(List<CapabilityTap.Hit> hits, String kind) {
        return hits.stream().filter(h -> h.kind().equals(kind)).findFirst().orElse(null);
    }

    static double seconds(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e9;
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static String now() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT));
    }
}
