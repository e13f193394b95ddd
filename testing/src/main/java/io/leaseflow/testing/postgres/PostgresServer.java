package io.leaseflow.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.testcontainers.postgresql.PostgreSQLContainer;

import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.infra.LocalImages;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server: external, a Testcontainers container, or an embedded server (zonky binaries; as root
 * it runs under {@code unshare -U}). Each test class gets a database of its own from {@link #createDatabase}.
 */
public final class PostgresServer implements AutoCloseable {
    /** Names an existing server as {@code postgresql://user:password@host:port/database}. */
    public static final String EXTERNAL = "LEASEFLOW_TEST_POSTGRES_URL";

    private final InfraPath path;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String adminDatabase;
    private final AutoCloseable stopper;

    private PostgresServer(InfraPath path, String host, int port, String username, String password,
            String adminDatabase, AutoCloseable stopper) {
        this.path = path;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.adminDatabase = adminDatabase;
        this.stopper = stopper;
    }

    public static PostgresServer start() {
        InfraPath path = InfraPath.choose(EXTERNAL, LocalImages.Image.POSTGRES);
        long began = System.nanoTime();
        PostgresServer server = switch (path) {
            case ENVIRONMENT -> external(URI.create(InfraPath.setting(EXTERNAL, null)));
            case TESTCONTAINERS -> container();
            case EMBEDDED -> embedded();
        };
        System.out.printf("leaseflow-testing: PostgreSQL %s at %s:%d in %d ms%n", path, server.host, server.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return server;
    }

    private static PostgresServer external(URI uri) {
        String[] credentials = uri.getUserInfo() == null ? new String[] {"postgres", ""}
                : uri.getUserInfo().split(":", 2);
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer(InfraPath.ENVIRONMENT, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                credentials[0], credentials.length > 1 ? credentials[1] : "", database, () -> {
                });
    }

    /** A server managed by the caller (e.g. one it restarts); {@link #close()} leaves it alone. */
    public static PostgresServer managedElsewhere(int port, String username, String password, String adminDatabase) {
        return new PostgresServer(InfraPath.EMBEDDED, "127.0.0.1", port, username, password, adminDatabase, () -> {
        });
    }

    private static PostgresServer container() {
        PostgreSQLContainer container = new PostgreSQLContainer(LocalImages.Image.POSTGRES.imageName())
                .withDatabaseName("leaseflow").withUsername("leaseflow").withPassword("leaseflow")
                .withStartupTimeout(Duration.ofMinutes(2));
        container.start();
        return new PostgresServer(InfraPath.TESTCONTAINERS, container.getHost(), container.getFirstMappedPort(),
                container.getUsername(), container.getPassword(), container.getDatabaseName(), container::stop);
    }

    private static PostgresServer embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            return new PostgresServer(InfraPath.EMBEDDED, "127.0.0.1", pg.getPort(), "postgres", "postgres",
                    "postgres", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Creates an empty database and returns its name. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + Long.toHexString(System.nanoTime())).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(jdbcUrl(adminDatabase), username, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }

    /** This server as {@code postgresql://user:password@host:port/database}. */
    public String url() {
        return "postgresql://" + username + ":" + password + "@" + host + ":" + port + "/" + adminDatabase;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public InfraPath path() {
        return path;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
