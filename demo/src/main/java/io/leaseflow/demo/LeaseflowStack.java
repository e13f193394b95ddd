package io.leaseflow.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.process.RepoLayout;
import io.leaseflow.testing.process.ServiceProcess;
import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;

/**
 * The OpenStack simulator and the three leaseflow services as real processes, wired to the given Kafka, PostgreSQL
 * and AMQP broker exactly as an operator would configure them (system properties instead of a ConfigMap).
 */
public final class LeaseflowStack implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(120);
    private final Deque<ServiceProcess> started = new ArrayDeque<>();
    private Map<String, Map<String, String>> serviceSettings = Map.of();
    private ServiceProcess sim;
    private ServiceProcess watcher;
    private ServiceProcess launcher;
    private ServiceProcess exchange;

    public static LeaseflowStack start(KafkaBroker kafka, PostgresServer postgres, AmqpBroker amqp, Path logDir,
            Map<String, String> simSettings) {
        return start(kafka, postgres, amqp, logDir, simSettings, Map.of());
    }

    /**
     * As above, with extra settings per service ({@code "lease-watcher" -> {"leaseflow.reconcile.interval": "5s"}}),
     * applied after the wiring.
     */
    public static LeaseflowStack start(KafkaBroker kafka, PostgresServer postgres, AmqpBroker amqp, Path logDir,
            Map<String, String> simSettings, Map<String, Map<String, String>> serviceSettings) {
        LeaseflowStack stack = new LeaseflowStack();
        stack.serviceSettings = serviceSettings;
        try {
            stack.boot(kafka, postgres, amqp, logDir, simSettings);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void boot(KafkaBroker kafka, PostgresServer postgres, AmqpBroker amqp, Path logDir,
            Map<String, String> simSettings) {
        kafka.createTopics(java.util.List.of("leaseflow.lease-events", "leaseflow.stack-events",
                "leaseflow.lease-events.dlq", "leaseflow.blazar-notifications.dlq"), 6);

        Map<String, String> simProps = new HashMap<>(amqpSettings("sim.amqp.", amqp));
        simProps.putAll(simSettings);
        sim = track(ServiceProcess.start("openstack-sim", FreePort.pick(), simProps, logDir));
        String keystoneUrl = sim.baseUrl() + "/identity/v3";

        Map<String, String> watcherProps = common(kafka, postgres, postgres.createDatabase("leaseflow_watcher"));
        watcherProps.put("quarkus.rest-client.keystone.url", keystoneUrl);
        watcherProps.put("rabbitmq-host", amqp.host());
        watcherProps.put("rabbitmq-port", Integer.toString(amqp.port()));
        watcherProps.put("rabbitmq-username", amqp.username());
        watcherProps.put("rabbitmq-password", amqp.password());
        watcher = track(ServiceProcess.start("lease-watcher", FreePort.pick(), with("lease-watcher", watcherProps), logDir));

        Map<String, String> exchangeProps = common(kafka, postgres, postgres.createDatabase("leaseflow_exchange"));
        exchange = track(ServiceProcess.start("hosts-exchange", FreePort.pick(), with("hosts-exchange", exchangeProps),
                logDir));

        Map<String, String> launcherProps = common(kafka, postgres, postgres.createDatabase("leaseflow_launcher"));
        launcherProps.put("quarkus.rest-client.keystone.url", keystoneUrl);
        launcherProps.put("leaseflow.launcher.progress-interval", "500ms");
        // The lease timeline reads the other two services.
        launcherProps.put("quarkus.rest-client.lease-watcher.url", watcher.baseUrl());
        launcherProps.put("quarkus.rest-client.hosts-exchange.url", exchange.baseUrl());
        launcher = track(ServiceProcess.start("stack-launcher", FreePort.pick(), with("stack-launcher", launcherProps),
                logDir));

        for (ServiceProcess p : started) {
            p.awaitReady(READY);
        }
    }

    private Map<String, String> with(String service, Map<String, String> props) {
        props.putAll(serviceSettings.getOrDefault(service, Map.of()));
        return props;
    }

    private static Map<String, String> common(KafkaBroker kafka, PostgresServer postgres, String database) {
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
        props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        props.put("quarkus.datasource.username", postgres.username());
        props.put("quarkus.datasource.password", postgres.password());
        // Spans are made and propagated, but no OTLP collector runs here: keep its connection errors out of the logs.
        props.put("quarkus.log.category.\"io.quarkus.opentelemetry.runtime.exporter\".level", "OFF");
        return props;
    }

    private static Map<String, String> amqpSettings(String prefix, AmqpBroker amqp) {
        return Map.of(prefix + "host", amqp.host(), prefix + "port", Integer.toString(amqp.port()),
                prefix + "username", amqp.username(), prefix + "password", amqp.password());
    }

    private ServiceProcess track(ServiceProcess process) {
        started.push(process);
        return process;
    }

    public ServiceProcess sim() {
        return sim;
    }

    public ServiceProcess watcher() {
        return watcher;
    }

    public ServiceProcess launcher() {
        return launcher;
    }

    public ServiceProcess exchange() {
        return exchange;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }
}
