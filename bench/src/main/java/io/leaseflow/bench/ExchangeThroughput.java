package io.leaseflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;
import io.leaseflow.testing.process.ServiceProcess;

/**
 * Sustained member reports on one hosts-exchange replica, alone: embedded Kafka and PostgreSQL in this JVM, the
 * replica as a child JVM with the pods' flags, a warm-up, then {@code --seconds} of reports with
 * {@code --concurrency} in flight into fresh groups of 1,000 (the suite's "sustained" phase, without the other
 * services). {@code --jfr=true} records the replica during the measured window; {@code --groups=1000,5000} then
 * fills one group of each size with every member long-polling; {@code --set=name=value,...} sets replica settings.
 */
public final class ExchangeThroughput {
    private ExchangeThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> knobs = new LinkedHashMap<>(Map.of("seconds", "20", "warmup", "10", "concurrency", "256",
                "jfr", "false", "service-jvm", "-Xmx512m -XX:+UseSerialGC", "set", "", "groups", ""));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (!knobs.containsKey(kv[0]) || kv.length != 2) {
                throw new IllegalArgumentException("knobs: " + knobs.keySet() + " as --name=value; got " + arg);
            }
            knobs.put(kv[0], kv[1]);
        }
        System.out.println("config: " + knobs);
        KafkaBroker kafka = KafkaBroker.start();
        PostgresServer postgres = PostgresServer.start();
        String db = postgres.createDatabase("leaseflow_exchange");
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(db));
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(db));
        props.put("quarkus.datasource.username", postgres.username());
        props.put("quarkus.datasource.password", postgres.password());
        props.put("quarkus.log.category.\"io.quarkus.opentelemetry.runtime.exporter\".level", "OFF");
        for (String setting : knobs.get("set").split(",")) {   // --set=name=value,name=value: replica settings
            if (!setting.isBlank()) {
                props.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        System.setProperty(ServiceProcess.JVM_OPTIONS, knobs.get("service-jvm"));
        Path logs = Path.of("bench/target/throughput-logs");
        ServiceProcess exchange = ServiceProcess.start("hosts-exchange", FreePort.pick(), props, logs);
        try {
            exchange.awaitReady(java.time.Duration.ofSeconds(120));
            ExchangeBench bench = new ExchangeBench(exchange.baseUrl());
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("hosts-exchange", exchange.pid());
            pids.put("bench JVM (Kafka, PostgreSQL client, load)", ProcessHandle.current().pid());
            int concurrency = Integer.parseInt(knobs.get("concurrency"));
            var warm = bench.sustained(Double.parseDouble(knobs.get("warmup")), concurrency, pids);
            System.out.printf("warm-up: %.0f reports/s, errors %d%n", warm.reportsPerSecond(), warm.errors());
            Path jfr = logs.resolve("hosts-exchange-throughput.jfr").toAbsolutePath();
            boolean recording = Boolean.parseBoolean(knobs.get("jfr"));
            if (recording) {
                Files.createDirectories(logs);
                Profiles.start(exchange.pid(), jfr);
            }
            var r = bench.sustained(Double.parseDouble(knobs.get("seconds")), concurrency, pids);
            if (recording) {
                Profiles.stop(exchange.pid());
            }
            System.out.printf("SUSTAINED %d reports in %.1f s into %d groups (%d in flight): %.0f reports/s,"
                    + " PUT p50 %.1f ms p99 %.1f ms max %.1f ms, errors %d, CPU (cores) %s%n", r.reports(), r.seconds(),
                    r.groups(), concurrency, r.reportsPerSecond(), r.putMicros().getValueAtPercentile(50) / 1e3,
                    r.putMicros().getValueAtPercentile(99) / 1e3, r.putMicros().getMaxValue() / 1e3, r.errors(),
                    r.cpuShare());
            for (String size : knobs.get("groups").split(",")) {   // --groups=1000,5000: fill and complete one each
                if (!size.isBlank()) {
                    var g = bench.runGroup(Integer.parseInt(size.trim()), 128);
                    System.out.printf("GROUP %s members: all hold the aggregate %.1f ms after the last report (p50 %.1f"
                            + " ms), %.0f reports/s, errors %d%n", size.trim(), g.lastReportToMember().getMaxValue() / 1e3,
                            g.lastReportToMember().getValueAtPercentile(50) / 1e3, g.reportsPerSecond(), g.errors());
                }
            }
            if (recording) {
                System.out.println("JFR: " + jfr);
                System.out.println(Profiles.summarize(jfr, 25));
            }
        } finally {
            exchange.close();
            postgres.close();
            kafka.close();
        }
    }
}
