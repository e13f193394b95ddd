package io.leaseflow.testing;

import java.util.Map;

import io.leaseflow.testing.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives a Quarkus test a real PostgreSQL server and a fresh database of its own, for both reactive and JDBC. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        var postgres = SharedInfra.postgres();
        String database = postgres.createDatabase("lf_" + TestIds.next());
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.datasource.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // The server is shared by the JVM's test classes and stopped when the JVM exits.
    }
}
