package io.leaseflow.sim.instances;

import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated Nova instance: a root directory and, when its user_data asks for it, one boot process (the shipped
 * agent, started by its cloud-config) whose console output is kept. Status follows the agent's own log lines.
 */
final class SimInstance {

    private static final Logger LOG = Logger.getLogger(SimInstance.class);

    /** {@code idle}: nothing to run; {@code reporting}: booted, agent not yet reported; {@code waiting}: reported, waiting for the group. */
    enum Status { pending, reporting, waiting, done, failed, idle, stopped }

    private final String stackId;
    private final String resource;
    private final String name;
    private final String hostname;
    private final String ip;
    private final InstanceRoot root;
    private final int logLines;
    private final Deque<String> console = new ArrayDeque<>();
    private final AtomicBoolean slotHeld = new AtomicBoolean();
    private volatile Status status = Status.pending;
    private volatile Integer exitCode;
    private volatile Instant bootedAt;
    private volatile Instant finishedAt;
    private Process process;
    private HeatConfigAgent heatConfig;
    private Runnable releaseSlot = () -> { };

    SimInstance(String stackId, String resource, String name, String ip, Path dir, int logLines) {
        this.stackId = stackId;
        this.resource = resource;
        this.name = name;
        this.hostname = hostname(name);
        this.ip = ip;
        this.root = new InstanceRoot(dir);
        this.logLines = logLines;
    }

    String stackId() {
        return stackId;
    }

    String name() {
        return name;
    }

    Status status() {
        return status;
    }

    /**
     * Lays out the root and starts the boot script; {@code releaseSlot} runs once, when the agent has reported or
     * the process ended. Returns false when nothing runs (the slot is released at once).
     */
    synchronized boolean boot(String userData, String metadataUrl, Runnable releaseSlot) {
        this.releaseSlot = releaseSlot;
        slotHeld.set(true);
        if (status == Status.stopped) {
            releaseSlot();
            return false;
        }
        bootedAt = Instant.now();
        try {
            CloudInit.BootPlan plan = CloudInit.plan(userData);
            boolean heatAgent = plan.script() == null && !metadataUrl.isBlank();
            if (plan.script() == null && plan.files().isEmpty() && !heatAgent) {
                // Nothing to run or write: no root on disk either (benchmarks launch thousands of such servers).
                status = Status.idle;
                releaseSlot();
                return false;
            }
            Path script = root.prepare(hostname, ip, plan);
            if (heatAgent) {
                heatConfig = new HeatConfigAgent(metadataUrl, root, environment(), this::append, this::reported,
                        code -> finish(code == 0 ? Status.done : Status.failed, code));
                status = Status.reporting;
                Thread agent = new Thread(null, heatConfig, "os-collect-config-" + hostname, 256 * 1024);
                agent.setDaemon(true);
                agent.start();
                LOG.infof("stack %s: instance %s (%s) booted, os-collect-config polls its metadata URL", stackId,
                        name, ip);
                return true;
            }
            if (script == null) {
                status = Status.idle;
                releaseSlot();
                return false;
            }
            ProcessBuilder builder = new ProcessBuilder(script.toString()).directory(root.dir().toFile())
                    .redirectErrorStream(true);
            // A clean environment: nothing of the simulator's own (credentials included) leaks into the instance.
            builder.environment().clear();
            builder.environment().putAll(environment());
            process = builder.start();
            status = Status.reporting;
            Thread reader = new Thread(null, this::readConsole, "instance-" + hostname, 256 * 1024);
            reader.setDaemon(true);
            reader.start();
            LOG.infof("stack %s: instance %s (%s) booted, pid %d", stackId, name, ip, process.pid());
            return true;
        } catch (IOException | RuntimeException e) {
            append("simulator: boot failed: " + e.getMessage());
            finish(Status.failed, null);
            return false;
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PATH", root.binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", root.path("/root").toString());
        env.put("HOSTNAME", hostname);
        env.put("LANG", "C.UTF-8");
        // Where the agent and the exchange's scripts would write on a real instance: their default paths, rooted.
        env.put("LEASEFLOW_HOSTS_FILE", root.etcHosts().toString());
        env.put("LEASEFLOW_STATE_DIR", root.path("/var/lib/leaseflow").toString());
        return env;
    }

    private void reported() {
        if (status == Status.reporting) {
            status = Status.waiting;
            releaseSlot();
        }
    }

    /** The boot slot goes back to the fleet at most once. */
    void releaseSlot() {
        if (slotHeld.compareAndSet(true, false)) {
            releaseSlot.run();
        }
    }

    /** Terminates the boot process and everything it started (curl, sleep). */
    synchronized void stop() {
        if (status == Status.done || status == Status.failed || status == Status.idle) {
            status = Status.stopped;
            return;
        }
        status = Status.stopped;
        if (heatConfig != null) {
            heatConfig.stop();
        }
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        releaseSlot();
    }

    void deleteRoot() {
        root.delete();
    }

    /** The instance as {@code GET /sim/instances} shows it. */
    Map<String, Object> view() {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("stack_id", stackId);
        view.put("resource", resource);
        view.put("name", name);
        view.put("hostname", hostname);
        view.put("ip", ip);
        view.put("status", status.name());
        view.put("exit_code", exitCode);
        view.put("booted_at", bootedAt == null ? null : bootedAt.toString());
        view.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        view.put("etc_hosts", readEtcHosts());
        synchronized (console) {
            view.put("log_tail", new ArrayList<>(console));
        }
        view.put("root", root.dir().toString());
        return view;
    }

    String etcHosts() {
        return readEtcHosts();
    }

    private String readEtcHosts() {
        try {
            return Files.exists(root.etcHosts()) ? Files.readString(root.etcHosts()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void readConsole() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer log = Files.newBufferedWriter(root.consoleLog(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                append(line);
                // The shipped agent's own words for "my report is in": from here on it only waits.
                if (line.contains(": reported (") || line.contains("no longer open")) {
                    reported();
                }
            }
        } catch (IOException e) {
            append("simulator: console closed: " + e.getMessage());
        }
        try {
            int code = process.waitFor();
            finish(code == 0 ? Status.done : Status.failed, code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void finish(Status end, Integer code) {
        exitCode = code;
        finishedAt = Instant.now();
        if (status != Status.stopped) {
            status = end;
            LOG.infof("stack %s: instance %s %s (exit %s)", stackId, name, end, code);
        }
        releaseSlot();
    }

    private void append(String line) {
        synchronized (console) {
            console.addLast(line);
            while (console.size() > logLines) {
                console.removeFirst();
            }
        }
    }

    /** Nova's hostname from a display name: lower case, [a-z0-9-] only, at most 63 characters. */
    static String hostname(String name) {
        String h = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        h = h.length() > 63 ? h.substring(0, 63).replaceAll("-+$", "") : h;
        return h.isEmpty() ? "instance" : h;
    }

}
