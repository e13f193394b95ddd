package io.leaseflow.watcher.schema;

import java.util.Map;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * Flyway takes its PostgreSQL advisory lock for the session instead of inside a transaction that stays open for the
 * whole migration: `CREATE INDEX CONCURRENTLY` waits for every open transaction to end, so under the transactional
 * lock it would wait for Flyway's own and never finish. Safe here, where Flyway connects to PostgreSQL directly (no
 * pooler in transaction mode, which would lose a session lock).
 */
@Singleton
public class FlywaySessionLock implements FlywayConfigurationCustomizer {
    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }
}
