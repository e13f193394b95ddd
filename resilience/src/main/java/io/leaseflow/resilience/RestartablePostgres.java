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
                    // zonky turns synchronous_commit off; a crash then loses commits the client saw succeed (the
                    // first long run duplicated 2 of 2,000 launches that way). Production PostgreSQL keeps it on.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
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
            // The whole server at once, as a node failure takes it: backends orphaned by a lone postmaster kill
            // would go on committing while the new server recovers.
            List<ProcessHandle> server = new java.util.ArrayList<>();
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                server.addAll(postmaster.descendants().toList());
                server.add(postmaster);
            });
            server.forEach(ProcessHandle::destroyForcibly);
            server.forEach(p -> p.onExit().join());
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
