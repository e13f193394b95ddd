package io.leaseflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import io.leaseflow.demo.LeaseflowStack;
import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;
import io.leaseflow.testing.process.RepoLayout;
import io.leaseflow.testing.process.ServiceProcess;

/**
 * The benchmark suite: embedded Kafka, PostgreSQL and AMQP, the simulator and the three services as child JVMs (the
 * demo's {@link LeaseflowStack}); the load generator runs on this JVM's own threads. Prints a table and writes
 * {@code bench/RESULTS.md}. Knobs: {@code --name=value} arguments, or {@code -Dleaseflow.bench.name=value}, or
 * {@code LEASEFLOW_BENCH_NAME}; see {@link #DEFAULTS}.
 */
public final class BenchMain {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("rates", "100,500,1000");            // lease starts/s, leaseflow path
        DEFAULTS.put("duration", "20");                   // seconds per rate (the 60: --duration=60)
        DEFAULTS.put("max-starts", "3000");               // cap per rate: starts = min(rate x duration, max-starts)
        DEFAULTS.put("drain", "120");                     // seconds to wait for Heat to see a phase's last PATCH
        DEFAULTS.put("warmup", "10");                     // seconds at warmup-rate, results discarded
        DEFAULTS.put("warmup-rate", "100");
        DEFAULTS.put("baseline-rates", "100,500");       // Blazar-like loop; 1000 fits only with a long budget
        DEFAULTS.put("baseline-duration", "");            // default: duration
        DEFAULTS.put("tick", "10");                       // Blazar's periodic task, seconds
        DEFAULTS.put("groups", "100,1000,5000");          // exchange group sizes
        DEFAULTS.put("group-concurrency", "128");         // reports in flight while filling a group
        DEFAULTS.put("sustained", "10");                  // seconds of sustained reporting, one replica
        DEFAULTS.put("sustained-concurrency", "256");
        DEFAULTS.put("jfr-rate", "500");                  // JFR (jcmd) on the child JVMs during this rate; 0 = off
        DEFAULTS.put("setup-threads", "16");
        DEFAULTS.put("heat-action-delay", "100ms");       // sim.heat.action-delay
        DEFAULTS.put("service-jvm", "-Xmx512m -XX:+UseSerialGC"); // the pods' GC, full JIT (the demo stops at C1)
        DEFAULTS.put("out", "bench/RESULTS.md");
    }

    private final Map<String, String> config;
    private final StringBuilder md = new StringBuilder();

    private BenchMain(Map<String, String> config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
            String key = d.getKey();
            String env = System.getenv("LEASEFLOW_BENCH_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            config.put(key, System.getProperty("leaseflow.bench." + key, env != null ? env : d.getValue()));
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("bin/bench [--name=value ...]; defaults: " + DEFAULTS);
                return;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            String key = arg.substring(2, arg.indexOf('='));
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown knob " + key + "; known: " + DEFAULTS.keySet());
            }
            config.put(key, arg.substring(arg.indexOf('=') + 1));
        }
        if (config.get("baseline-duration").isBlank()) {
            config.put("baseline-duration", config.get("duration"));
        }
        if (System.getenv(InfraPath.MODE_VARIABLE) == null) {
            System.setProperty(InfraPath.MODE_VARIABLE, "embedded");
        }
        int status = new BenchMain(config).run();
        System.exit(status);
    }

    private int run() throws Exception {
        long began = System.nanoTime();
        Path root = RepoLayout.root();
        Path logs = root.resolve("bench/target/logs");
        Path jfrDir = root.resolve("bench/target/jfr");
        Files.createDirectories(jfrDir);
        String machine = machine();
        say("machine: " + machine);
        say("config: " + config);

        say("starting embedded Kafka, PostgreSQL and AMQP");
        KafkaBroker kafka = KafkaBroker.start();
        PostgresServer postgres = PostgresServer.start();
        AmqpBroker amqp = AmqpBroker.start();
        say("starting openstack-sim, lease-watcher, stack-launcher, hosts-exchange as child JVMs (logs in " + logs + ")");
        System.setProperty(ServiceProcess.JVM_OPTIONS, config.get("service-jvm"));
        long stackBegan = System.nanoTime();
        LeaseflowStack stack = LeaseflowStack.start(kafka, postgres, amqp, logs, Map.of(
                "sim.heat.action-delay", config.get("heat-action-delay"), "sim.blazar.payload", "upstream"));
        double allReady = (System.nanoTime() - stackBegan) / 1e9;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            quietly(amqp);
            quietly(postgres);
            quietly(kafka);
        }, "bench-stop"));
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        services.put("lease-watcher", stack.watcher());
        services.put("stack-launcher", stack.launcher());
        services.put("hosts-exchange", stack.exchange());
        services.put("openstack-sim", stack.sim());
        Map<String, Long> pids = new LinkedHashMap<>();
        services.forEach((name, p) -> pids.put(name, p.pid()));
        pids.put("bench JVM (Kafka, AMQP, load)", ProcessHandle.current().pid());
        say(String.format("all four ready %.1f s after launch", allReady));

        int setupThreads = Integer.parseInt(config.get("setup-threads"));
        List<LaunchBench.Result> launch = new ArrayList<>();
        List<LaunchBench.Result> baseline = new ArrayList<>();
        Map<String, String> launcherView = new LinkedHashMap<>();
        Map<String, String> profiles = new LinkedHashMap<>();
        Map<String, long[]> rssAfterWarmup = new LinkedHashMap<>();
        double setupSeconds = 0;
        int setupCount = 0;
        double drain = Double.parseDouble(config.get("drain"));
        int maxStarts = Integer.parseInt(config.get("max-starts"));
        try (LaunchBench bench = new LaunchBench(stack.sim().baseUrl(), stack.launcher().baseUrl(), amqp,
                kafka.bootstrapServers(), setupThreads)) {
            // Warm-up: the same path at a low rate, and a small exchange group; results discarded.
            double warmRate = Double.parseDouble(config.get("warmup-rate"));
            int warmN = (int) (warmRate * Double.parseDouble(config.get("warmup")));
            if (warmN > 0) {
                say("warm-up: binding " + warmN + " leases, then " + warmRate + " starts/s");
                long t = System.nanoTime();
                List<LaunchBench.Start> starts = bench.prepare(warmN, true);
                setupSeconds += (System.nanoTime() - t) / 1e9;
                setupCount += warmN;
                LaunchBench.Result w = bench.runLeaseflow("warm-up", warmRate, starts, pids, drain, "");
                say("warm-up done: " + line(w));
            }
            new ExchangeBench(stack.exchange().baseUrl()).runGroup(50, 16);
            services.forEach((name, p) -> rssAfterWarmup.put(name,
                    new long[] {Procs.vmKb(p.pid(), "VmRSS"), Procs.vmKb(p.pid(), "VmHWM")}));

            double duration = Double.parseDouble(config.get("duration"));
            int jfrRate = Integer.parseInt(config.get("jfr-rate"));
            for (double rate : doubles(config.get("rates"))) {
                int n = (int) Math.min(maxStarts, Math.round(rate * duration));
                say(String.format("leaseflow %.0f starts/s: binding %d leases to INIT_COMPLETE stacks", rate, n));
                long t = System.nanoTime();
                List<LaunchBench.Start> starts = bench.prepare(n, true);
                double took = (System.nanoTime() - t) / 1e9;
                setupSeconds += took;
                setupCount += n;
                say(String.format("  bound in %.1f s (%.0f/s); publishing for %.1f s", took, n / took, n / rate));
                boolean jfr = jfrRate > 0 && (int) rate == jfrRate;
                if (jfr) {
                    for (String svc : List.of("lease-watcher", "stack-launcher", "openstack-sim")) {
                        Profiles.start(pids.get(svc), jfrDir.resolve(svc + "-" + jfrRate + ".jfr"));
                    }
                }
                LaunchBench.Result r = bench.runLeaseflow(String.format("leaseflow %.0f/s", rate), rate, starts, pids,
                        drain, "");
                if (jfr) {
                    for (String svc : List.of("lease-watcher", "stack-launcher", "openstack-sim")) {
                        Profiles.stop(pids.get(svc));
                        Path file = jfrDir.resolve(svc + "-" + jfrRate + ".jfr");
                        profiles.put(svc, Profiles.summarize(file, 6) + "\n  (recording: `" + root.relativize(file)
                                + "`)");
                    }
                }
                launcherView.put(r.name(), launcherLatency(stack.launcher().baseUrl()));
                launch.add(r);
                say("  " + line(r));
            }

            double baseDuration = Double.parseDouble(config.get("baseline-duration"));
            double tick = Double.parseDouble(config.get("tick"));
            for (double rate : doubles(config.get("baseline-rates"))) {
                int n = (int) Math.min(maxStarts, Math.round(rate * baseDuration));
                say(String.format("baseline %.0f starts/s: creating %d INIT_COMPLETE stacks", rate, n));
                List<LaunchBench.Start> stacks = bench.prepare(n, false);
                say(String.format("  Blazar-like loop, tick %.0f s, for %.0f s of starts", tick, baseDuration));
                LaunchBench.Result r = bench.runBaseline(String.format("Blazar-like %.0f/s", rate), rate, stacks,
                        tick, pids);
                baseline.add(r);
                say("  " + line(r));
            }
        }

        ExchangeBench exchange = new ExchangeBench(stack.exchange().baseUrl());
        List<ExchangeBench.GroupResult> groups = new ArrayList<>();
        for (double size : doubles(config.get("groups"))) {
            say(String.format("exchange: group of %.0f members (long-polls parked, then reports)", size));
            ExchangeBench.GroupResult g = exchange.runGroup((int) size, Integer.parseInt(config.get("group-concurrency")));
            groups.add(g);
            say(String.format("  last report -> all hold the aggregate: %.1f ms (p50 %.1f ms); %.0f reports/s; "
                    + "errors %d; os-collect-config schedule: %.1f s", ms(g.lastReportToMember().getMaxValue()),
                    ms(g.lastReportToMember().getValueAtPercentile(50)), g.reportsPerSecond(), g.errors(),
                    g.baselineCompletionMicros() / 1e6));
        }
        double sustainedSeconds = Double.parseDouble(config.get("sustained"));
        ExchangeBench.SustainedResult sustained = null;
        if (sustainedSeconds > 0) {
            say(String.format("exchange: sustained reports for %.0f s, one replica", sustainedSeconds));
            sustained = exchange.sustained(sustainedSeconds, Integer.parseInt(config.get("sustained-concurrency")),
                    pids);
            say(String.format("  %.0f reports/s (%d in %.1f s), PUT p99 %.1f ms, errors %d", sustained.reportsPerSecond(),
                    sustained.reports(), sustained.seconds(), ms(sustained.putMicros().getValueAtPercentile(99)),
                    sustained.errors()));
        }

        Map<String, long[]> rssEnd = new LinkedHashMap<>();
        services.forEach((name, p) -> rssEnd.put(name,
                new long[] {Procs.vmKb(p.pid(), "VmRSS"), Procs.vmKb(p.pid(), "VmHWM")}));
        Map<String, Double> startTimes = new LinkedHashMap<>();
        services.forEach((name, p) -> startTimes.put(name, Procs.quarkusStartSeconds(p.log()).orElse(Double.NaN)));

        double total = (System.nanoTime() - began) / 1e9;
        write(machine, allReady, launch, baseline, launcherView, profiles, groups, sustained, startTimes,
                rssAfterWarmup, rssEnd, setupCount, setupSeconds, total, root);
        System.out.println();
        System.out.println(md);
        Path out = root.resolve(config.get("out"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        say("wrote " + out + " (" + String.format("%.0f", total) + " s in all)");
        return 0;
    }

    private void write(String machine, double allReady, List<LaunchBench.Result> launch,
            List<LaunchBench.Result> baseline, Map<String, String> launcherView, Map<String, String> profiles,
            List<ExchangeBench.GroupResult> groups, ExchangeBench.SustainedResult sustained,
            Map<String, Double> startTimes, Map<String, long[]> rssWarm, Map<String, long[]> rssEnd, int setupCount,
            double setupSeconds, double total, Path root) {
        md.append("# leaseflow benchmarks\n\n");
        md.append("Generated by `bin/bench` on ").append(LocalDateTime.now().withNano(0)).append(" (")
                .append(String.format("%.0f", total)).append(" s in all). Machine: ").append(machine).append(".\n");
        md.append("Settings: `").append(config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "))).append("`.\n");
        md.append("Everything ran on this one machine: embedded Kafka and AMQP (Qpid Broker-J) inside the bench JVM, "
                + "embedded PostgreSQL, and the simulator and the three services as child JVMs "
                + "(`" + config.get("service-jvm") + "`; the pods run SerialGC with full JIT). Anything else "
                + "running on the machine (builds) shows up in the `machine` CPU column and makes the numbers "
                + "pessimistic.\n\n");

        md.append("## Lease start → Heat request\n\n");
        md.append("leaseflow: upstream-format `lease.event.start_lease` notifications (the captured bytes with this "
                + "run's ids) published to exchange `openstack`, key `notifications.info`, at a fixed rate from one "
                + "bench thread; each lease has one INIT_COMPLETE stack bound to it (`POST /v1/bindings`). Latency = "
                + "publish instant → the simulated Heat receiving the stack's `PATCH` (its request log, same clock). "
                + "Blazar-like baseline: lease i starts at t0 + i/rate; a periodic task every " + config.get("tick")
                + " s takes the due leases and PATCHes each stack synchronously, one at a time (one user token, "
                + "no trust round-trips: optimistic for Blazar); latency = start instant → Heat receiving the PATCH."
                + "\n\n");
        md.append("Starts per rate = min(rate × duration, max-starts) (setup of each start — a Blazar lease, a Heat "
                + "stack and a binding — costs far more than the start itself); a start Heat has not seen "
                + "`drain` s after the last publish counts as not launched. Published/s is the achieved publish rate; "
                + "Heat PATCH/s = PATCHes seen / (last PATCH − first publish).\n\n");
        md.append("| path | target/s | starts | published/s | Heat PATCH/s | p50 ms | p99 ms | max ms | errors | "
                + "not launched | launched, not in log | extra PATCHes |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LaunchBench.Result r : concat(launch, baseline)) {
            Histogram h = r.latencyMicros();
            md.append(String.format("| %s | %.0f | %d | %.0f | %.0f | %.1f | %.1f | %.1f | %d | %d | %d | %d |\n",
                    r.name(), r.targetRate(), r.starts(), r.publishedPerSecond(), r.heatPerSecond(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), r.errors(),
                    r.notLaunched(), r.unmeasured(), r.extraPatches()));
        }
        md.append("\n");
        for (LaunchBench.Result b : baseline) {
            launch.stream().filter(l -> l.targetRate() == b.targetRate()).findFirst().ifPresent(l -> md.append(
                    String.format("- At %.0f starts/s the Blazar-like loop's p50 is %.2f× and its p99 %.2f× "
                            + "leaseflow's (above 1: leaseflow is faster).\n", b.targetRate(),
                            (double) b.latencyMicros().getValueAtPercentile(50)
                                    / Math.max(1, l.latencyMicros().getValueAtPercentile(50)),
                            (double) b.latencyMicros().getValueAtPercentile(99)
                                    / Math.max(1, l.latencyMicros().getValueAtPercentile(99)))));
        }
        launch.stream().filter(l -> l.targetRate() == 500).findFirst().ifPresent(l -> md.append(String.format(
                "- Target (DESIGN.md): p99 < 100 ms at 500 starts/s on 2 cores: measured %.1f ms — %s.\n",
                ms(l.latencyMicros().getValueAtPercentile(99)),
                l.latencyMicros().getValueAtPercentile(99) < 100_000 && l.errors() == 0 ? "met" : "NOT met")));
        md.append(String.format("- Setup (not timed in the table): %d leases created in Blazar, stacks in Heat and "
                + "bindings in stack-launcher at %.0f/s.\n\n", setupCount, setupCount / Math.max(setupSeconds, 1e-9)));

        md.append("CPU used during each phase (cores, averaged over publishing + drain; `machine` = all processes "
                + "on the box):\n\n| path | ")
                .append(String.join(" | ", launch.isEmpty() ? List.of() : launch.get(0).cpuShare().keySet()))
                .append(" |\n|---|").append("---:|".repeat(launch.isEmpty() ? 0 : launch.get(0).cpuShare().size()))
                .append("\n");
        for (LaunchBench.Result r : concat(launch, baseline)) {
            md.append("| ").append(r.name()).append(" | ").append(r.cpuShare().values().stream()
                    .map(v -> String.format("%.2f", v)).collect(Collectors.joining(" | "))).append(" |\n");
        }
        md.append("\nWhere a start's time goes: lease-watcher = AMQP publish → its `lease.started` CloudEvent written to "
                + "Kafka (the record's CreateTime, ms); stack-launcher = that record → Heat receiving the PATCH "
                + "(read by a bystander consumer of `leaseflow.lease-events`):\n\n"
                + "| path | lease-watcher p50 ms | p99 ms | stack-launcher p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n");
        for (LaunchBench.Result r : launch) {
            md.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f |\n", r.name(),
                    ms(r.watcherMicros().getValueAtPercentile(50)), ms(r.watcherMicros().getValueAtPercentile(99)),
                    ms(r.launcherMicros().getValueAtPercentile(50)), ms(r.launcherMicros().getValueAtPercentile(99))));
        }
        md.append("\nstack-launcher's own histogram `leaseflow_launcher_launch_latency_seconds` (lease.started "
                + "taken from Kafka → Heat accepted), read from `/q/metrics` after each phase (Micrometer's "
                + "decaying window, so it blends recent phases):\n\n");
        launcherView.forEach((name, v) -> md.append("- ").append(name).append(": ").append(v).append("\n"));
        if (!profiles.isEmpty()) {
            md.append("\nJFR (`settings=profile`, started with `jcmd <pid> JFR.start` during the ")
                    .append(config.get("jfr-rate")).append("/s phase):\n\n");
            profiles.forEach((svc, p) -> md.append("- **").append(svc).append("**\n").append(p).append("\n"));
        }

        md.append("\n## hosts-exchange: completion and throughput (one replica)\n\n");
        md.append("Every member of a group parks a long-poll (`GET /v1/groups/{id}/inputs?wait=120s`, no "
                + "If-None-Match) before the first report; then the members report (`PUT .../members/{key}`, ")
                .append(config.get("group-concurrency")).append(" in flight). \"All hold\" = last long-poll answered "
                + "COMPLETE with every member's value, measured from the instant the last report was sent. "
                + "Baseline: the same members following os-collect-config's schedule (first poll 1 s after its own "
                + "report was acknowledged, interval doubling to a 30 s cap), **computed in virtual time** from this "
                + "run's measured report instants and the measured completion instant (the first long-poll answer); "
                + "Heat's own convergence work between the phases is not added, so the baseline is optimistic. When "
                + "members report more than 31 s apart (nodes booting at different times), the wait is up to 30 s "
                + "per phase.\n\n");
        md.append("| members | all hold, ms | p50 ms | p99 ms | reports/s | PUT p50 ms | PUT p99 ms | errors | "
                + "os-collect-config: all hold, s | p50 s | ratio (all hold) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ExchangeBench.GroupResult g : groups) {
            Histogram h = g.lastReportToMember();
            md.append(String.format("| %d | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %d | %.1f | %.1f | %.2f× |\n",
                    g.size(), ms(h.getMaxValue()), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                    g.reportsPerSecond(), ms(g.putMicros().getValueAtPercentile(50)),
                    ms(g.putMicros().getValueAtPercentile(99)), g.errors(), g.baselineCompletionMicros() / 1e6,
                    g.baselineMicros().getValueAtPercentile(50) / 1e6,
                    (double) g.baselineCompletionMicros() / Math.max(1, h.getMaxValue())));
        }
        if (sustained != null) {
            md.append(String.format("\nSustained: %d reports in %.1f s into %d groups of 1,000 (%s in flight, nobody "
                    + "polling): **%.0f reports/s**, PUT p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d. CPU (cores): %s."
                    + " Target (DESIGN.md): 5,000 reports/s — %s.\n", sustained.reports(), sustained.seconds(),
                    sustained.groups(), config.get("sustained-concurrency"), sustained.reportsPerSecond(),
                    ms(sustained.putMicros().getValueAtPercentile(50)), ms(sustained.putMicros().getValueAtPercentile(99)),
                    ms(sustained.putMicros().getMaxValue()), sustained.errors(),
                    sustained.cpuShare().entrySet().stream().map(e -> e.getKey() + " " + String.format("%.2f", e.getValue()))
                            .collect(Collectors.joining(", ")),
                    sustained.reportsPerSecond() >= 5000 ? "met" : "NOT met"));
        }
        groups.stream().filter(g -> g.size() == 1000).findFirst().ifPresent(g -> md.append(String.format(
                "Target (DESIGN.md): all 1,000 members hold the aggregate within 1 s of the last report: %.0f ms — %s.\n",
                ms(g.lastReportToMember().getMaxValue()),
                g.lastReportToMember().getMaxValue() < 1_000_000 && g.errors() == 0 ? "met" : "NOT met")));

        md.append("\n## Footprint\n\n");
        md.append(String.format("Start time is Quarkus's own \"started in\" from each log (all four start at once, so "
                + "they compete for the 2 cores); all four answered `/q/health/ready` %.1f s after launch. RSS is "
                + "`VmRSS` from `/proc/<pid>/status`; peak is `VmHWM`.\n\n", allReady));
        md.append("| service | start s | RSS after warm-up MiB | RSS at end MiB | peak RSS MiB |\n|---|---:|---:|---:|---:|\n");
        for (String svc : rssEnd.keySet()) {
            md.append(String.format("| %s | %.2f | %.0f | %.0f | %.0f |\n", svc, startTimes.get(svc),
                    rssWarm.get(svc)[0] / 1024.0, rssEnd.get(svc)[0] / 1024.0, rssEnd.get(svc)[1] / 1024.0));
        }
        md.append(String.format("| bench JVM (Kafka, AMQP broker, load generator) | – | – | %.0f | %.0f |\n",
                Procs.vmKb(ProcessHandle.current().pid(), "VmRSS") / 1024.0,
                Procs.vmKb(ProcessHandle.current().pid(), "VmHWM") / 1024.0));
        md.append("\nService logs: `bench/target/logs/`; JFR recordings: `bench/target/jfr/`.\n");
    }

    private static String launcherLatency(String launcherUrl) {
        try {
            String metrics = new Http().get(launcherUrl + "/q/metrics", Map.of("Accept", "text/plain")).raw().body();
            return Arrays.stream(metrics.split("\n"))
                    .filter(l -> l.startsWith("leaseflow_launcher_launch_latency_seconds") && l.contains("mode=\"bound\"")
                            && (l.contains("quantile=") || l.contains("_count") || l.contains("_max")))
                    .map(l -> "`" + l.trim() + "`").collect(Collectors.joining(", "));
        } catch (RuntimeException e) {
            return "(metrics unreadable: " + e.getMessage() + ")";
        }
    }

    private static String line(LaunchBench.Result r) {
        Histogram h = r.latencyMicros();
        return String.format("%s: %d starts, published %.0f/s, Heat %.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                + "(watcher p99 %.1f ms, launcher p99 %.1f ms), errors %d (not launched %d), unmeasured %d, extra PATCHes %d, CPU %s", r.name(), r.starts(),
                r.publishedPerSecond(), r.heatPerSecond(), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), ms(r.watcherMicros().getValueAtPercentile(99)),
                ms(r.launcherMicros().getValueAtPercentile(99)), r.errors(), r.notLaunched(), r.unmeasured(),
                r.extraPatches(), r.cpuShare().entrySet().stream()
                        .map(e -> e.getKey().split(" ")[0] + "=" + String.format("%.2f", e.getValue()))
                        .collect(Collectors.joining(" ")));
    }

    private static String machine() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long memKb = Procs.vmKb(ProcessHandle.current().pid(), "VmRSS");
        String mem = "";
        try {
            mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (IOException e) {
            // leave out
        }
        return String.format("%d cores (%s), %s; %s %s (%s); load average at start %.2f", Runtime.getRuntime()
                .availableProcessors(), Procs.cpuModel(), mem, System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name") + " "
                        + System.getProperty("os.version"), load) + (memKb < 0 ? "" : "");
    }

    private static double[] doubles(String csv) {
        if (csv == null || csv.isBlank()) {
            return new double[0];
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToDouble(Double::parseDouble).toArray();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    static double ms(double micros) {
        return micros / 1000.0;
    }

    static void say(String line) {
        System.out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
        System.out.flush();
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
