package io.leaseflow.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.postgres.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's binaries, a child process) on a fixed port and data directory, which can be
 * crashed with SIGKILL of the postmaster and started again: crash recovery from the WAL, as after a node failure.
 */
final class RestartablePostgres implements AutoCloseable {
    private final int port = FreePort.pick();
    private final Path dataDir;
    private EmbeddedPostgres postgres;

    RestartablePostgres() {
        try {
            dataDir = Files.createTempDirectory("leaseflow-chaos-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    synchronized void start() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    // The demo jar's manifest puts a second copy of the binaries on the class path; any one will do.
                    .setPgBinaryResolver((system, architecture) -> RestartablePostgres.class
                            .getResourceAsStream("/postgres-" + system.toLowerCase() + "-" + architecture + ".txz"))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** SIGKILL to the postmaster (its children exit with it), down for {@code downMillis}, then started again. */
    void crashAndRestart(long downMillis) throws InterruptedException {
        synchronized (this) {
            long pid = postmasterPid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            // Children may linger for a moment after their postmaster died; the new postmaster needs the port.
            ProcessHandle.allProcesses().filter(p -> p.parent().map(pp -> pp.pid() == pid).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            // Releases zonky's lock on the data directory; its "pg_ctl stop" finds no server, which is the point.
            try {
                postgres.close();
            } catch (IOException | RuntimeException expected) {
                // the server is already gone
            }
            postgres = null;
        }
        Thread.sleep(downMillis);
        start();
    }

    private long postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return Long.parseLong(lines.get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid in " + dataDir, e);
        }
    }

    PostgresServer asServer() {
        return PostgresServer.managedElsewhere(port, "postgres", "postgres", "postgres");
    }

    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
