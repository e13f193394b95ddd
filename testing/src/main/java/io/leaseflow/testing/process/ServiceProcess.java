package io.leaseflow.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Quarkus application running as a child JVM, its output in a log file, stopped on close. */
public final class ServiceProcess implements AutoCloseable {
    /** System property with the child JVMs' options (whitespace-separated); default {@link #DEMO_JVM_OPTIONS}. */
    public static final String JVM_OPTIONS = "leaseflow.service.jvm-options";
    /** Small and quick to start (C1 only): right for the demo and tests, not for measuring throughput. */
    public static final String DEMO_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String name;
    private volatile Process process;
    private final String baseUrl;
    private final Path log;
    private final List<String> command;

    private ServiceProcess(String name, Process process, String baseUrl, Path log, List<String> command) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.command = command;
    }

    /** A process started elsewhere in this JVM (by another class loader), known only by its URL; close is a no-op. */
    public static ServiceProcess attach(String name, String baseUrl) {
        return new ServiceProcess(name, null, baseUrl, null, List.of());
    }

    /** Starts {@code <module>/target/quarkus-app/quarkus-run.jar} with the given system properties. */
    public static ServiceProcess start(String module, int port, Map<String, String> properties, Path logDir) {
        Path jar = RepoLayout.quarkusJar(module);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty(JVM_OPTIONS, DEMO_JVM_OPTIONS).trim().split("\\s+")));
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(module + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new ServiceProcess(module, process, "http://127.0.0.1:" + port, log, List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails with the tail of the log. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "\n" + tail());
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path log() {
        return log;
    }

    public String tail() {
        if (log == null) {
            return "(attached process: no log here)";
        }
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL, as an OOM killer or a node failure would: no shutdown hooks, nothing flushed. */
    public void kill() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        try {
            current.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the same command again (same port and settings), its output appended to the same log. */
    public ServiceProcess restart() {
        if (command.isEmpty()) {
            throw new IllegalStateException(name + " was not started here; cannot restart it");
        }
        kill();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + name, e);
        }
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    @Override
    public void close() {
        Process process = this.process;
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
