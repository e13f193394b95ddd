package io.leaseflow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One member's machine: the real Debian os-collect-config (request collector) driving the real os-refresh-config and
 * os-apply-config, with the heat-agents reconstructions of {@code src/main/resources/heat-agent/} (see its README),
 * everything under the member's own root {@code R} instead of {@code /}. Started as Heat's boot config leaves an
 * agent: a config file with {@code collectors = request}, the capability URL and {@code polling_interval = 30}, and
 * no {@code --polling-interval} on the command line (that would override the file and block steering).
 */
final class HeatAgentMachine implements AutoCloseable {
    static final String OS_COLLECT_CONFIG = "/usr/bin/os-collect-config";
    static final List<String> DEBIAN_TOOLS = List.of(OS_COLLECT_CONFIG, "/usr/bin/os-refresh-config",
            "/usr/bin/os-apply-config", "/usr/bin/dib-run-parts");
    private static final String BEGIN = "# BEGIN leaseflow group ";
    private static final String END = "# END leaseflow group ";

    /** Agents still running; a benchmark stopped with Ctrl-C must not leave them polling forever. */
    private static final Set<HeatAgentMachine> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(HeatAgentMachine::close),
                "heat-agents-stop"));
    }

    private final String key;
    private final Path root;
    private Process process;
    private Instant started;
    private volatile int execs;

    private HeatAgentMachine(String key, Path root) {
        this.key = key;
        this.root = root.toAbsolutePath();
    }

    /** Lays out {@code root} (wiped first) and writes the boot config pointing at {@code metadataUrl}. */
    static HeatAgentMachine install(Path root, String key, String metadataUrl) {
        HeatAgentMachine machine = new HeatAgentMachine(key, root);
        try {
            machine.layOut(metadataUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out " + root, e);
        }
        return machine;
    }

    private void layOut(String metadataUrl) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> old = Files.walk(root)) {
                old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        copy("os-collect-config.conf.mustache", "usr/libexec/os-apply-config/templates/etc/os-collect-config.conf",
                false);
        copy("heat-config.mustache", "usr/libexec/os-apply-config/templates/var/run/heat-config/heat-config", false);
        copy("20-os-apply-config", "usr/libexec/os-refresh-config/configure.d/20-os-apply-config", true);
        copy("55-heat-config", "usr/libexec/os-refresh-config/configure.d/55-heat-config", true);
        copy("hook-script.py", "var/lib/heat-config/hooks/script", true);
        copy("heat-config-notify", "bin/heat-config-notify", true);
        copy("os-refresh-config", "bin/os-refresh-config", true);
        for (String dir : List.of("var/lib/os-collect-config", "var/run", "etc")) {
            Files.createDirectories(root.resolve(dir));
        }
        // What Heat's boot config leaves for an agent polling a temp URL; the first run replaces it with the file
        // os-apply-config renders from the served os-collect-config block (which re-executes the agent once).
        Files.writeString(configFile(), """
                [DEFAULT]
                command = os-refresh-config
                collectors = request
                polling_interval = 30

                [request]
                metadata_url = %s
                """.formatted(metadataUrl));
    }

    private void copy(String resource, String target, boolean executable) throws IOException {
        Path to = root.resolve(target);
        Files.createDirectories(to.getParent());
        try (InputStream in = HeatAgentMachine.class.getResourceAsStream("/heat-agent/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource heat-agent/" + resource);
            }
            Files.write(to, in.readAllBytes());
        }
        if (executable) {
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** The group's export script (the repo's, naming the host after the member key). */
    static String exportScript() {
        try (InputStream in = HeatAgentMachine.class.getResourceAsStream("/heat-agent/export-hosts.sh")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts os-collect-config with a VM-like environment whose paths all lead into this member's root. */
    void start() {
        ProcessBuilder builder = new ProcessBuilder(OS_COLLECT_CONFIG, "--config-file", configFile().toString())
                .redirectErrorStream(true).redirectOutput(log().toFile()).directory(root.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(Map.ofEntries(
                Map.entry("PATH", root.resolve("bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                Map.entry("HOME", root.toString()),
                Map.entry("LANG", "C.UTF-8"),
                // oslo.config reads OS_<GROUP>__<OPTION>; the rendered config file never sets these two
                Map.entry("OS_DEFAULT__CACHEDIR", root.resolve("var/lib/os-collect-config").toString()),
                Map.entry("OS_DEFAULT__BACKUP_CACHEDIR", root.resolve("var/run/os-collect-config").toString()),
                Map.entry("OS_REFRESH_CONFIG_BASE_DIR", root.resolve("usr/libexec/os-refresh-config").toString()),
                Map.entry("OS_CONFIG_APPLIER_TEMPLATES",
                        root.resolve("usr/libexec/os-apply-config/templates").toString()),
                Map.entry("LEASEFLOW_AGENT_ROOT", root.toString()),
                Map.entry("HEAT_SHELL_CONFIG", root.resolve("var/run/heat-config/heat-config").toString()),
                Map.entry("HEAT_CONFIG_DEPLOYED", root.resolve("var/lib/heat-config/deployed").toString()),
                Map.entry("HEAT_CONFIG_HOOKS", root.resolve("var/lib/heat-config/hooks").toString()),
                Map.entry("HEAT_SCRIPT_WORKING", root.resolve("var/lib/heat-config/heat-config-script").toString()),
                Map.entry("HEAT_SCRIPT_OUTPUTS", root.resolve("var/run/heat-config/heat-config-script").toString()),
                // read by the repo's populate-hosts.py (default /etc/hosts)
                Map.entry("LEASEFLOW_HOSTS_FILE", hostsFile().toString())));
        try {
            started = Instant.now();
            process = builder.start();
            RUNNING.add(this);
            watchExecs();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + OS_COLLECT_CONFIG, e);
        }
    }

    String key() {
        return key;
    }

    Instant started() {
        return started;
    }

    Path configFile() {
        return root.resolve("etc/os-collect-config.conf");
    }

    Path log() {
        return root.resolve("os-collect-config.log");
    }

    Path hostsFile() {
        return root.resolve("etc/hosts");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The lines populate-hosts.py installed between its markers (empty before populate ran). */
    List<String> hostsLines() {
        List<String> lines = new ArrayList<>();
        try {
            if (!Files.exists(hostsFile())) {
                return lines;
            }
            boolean inside = false;
            for (String line : Files.readAllLines(hostsFile())) {
                if (line.startsWith(BEGIN)) {
                    inside = true;
                } else if (line.startsWith(END)) {
                    inside = false;
                } else if (inside) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // being rewritten: read again later
        }
        return lines;
    }

    /**
     * The {@code hosts} input as the script hook handed it to the populate script: the hook logs every input as
     * {@code name=value} on its stderr, which 55-heat-config logs into the agent's log. Null before populate ran.
     */
    String hostsInput() {
        String value = null;
        try {
            for (String line : Files.readAllLines(log())) {
                int at = line.indexOf("] hosts=");
                if (at >= 0) {
                    value = line.substring(at + "] hosts=".length());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        return value;
    }

    /**
     * How often the agent's process image was replaced since it started: os-collect-config re-executes itself (same
     * pid and arguments) when its config file changed, and each exec gets a new, randomised stack (ASLR), so a change
     * of {@code startstack} in {@code /proc/<pid>/stat} is one exec. Sampled every 50 ms; two execs are
     * always a poll and a command run apart.
     */
    int execs() {
        return execs;
    }

    private void watchExecs() {
        Thread watcher = new Thread(() -> {
            String stable = startStack();
            String candidate = null;
            while (alive()) {
                String now = startStack();
                // mid-exec the old and new images briefly show transient values: count a change once it held for
                // two samples
                if (now != null && !now.equals(stable)) {
                    if (now.equals(candidate)) {
                        execs++;
                        stable = now;
                        candidate = null;
                    } else {
                        candidate = now;
                    }
                } else {
                    candidate = null;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "exec-watch-" + key);
        watcher.setDaemon(true);
        watcher.start();
    }

    private String startStack() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(") ") + 2).split(" ")[25];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The populate deployment as 55-heat-config recorded it ({@code deployed/<id>.json}), or null. */
    JsonNode deployedPopulate() {
        Path deployed = root.resolve("var/lib/heat-config/deployed");
        if (!Files.isDirectory(deployed)) {
            return null;
        }
        try (Stream<Path> files = Files.list(deployed)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".notify.json"))
                    .toList()) {
                JsonNode config = Http.JSON.readTree(file.toFile());
                if (config.path("name").asText().endsWith("-populate")) {
                    return config;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Stops the agent and anything its chain still runs (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        RUNNING.remove(this);
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
