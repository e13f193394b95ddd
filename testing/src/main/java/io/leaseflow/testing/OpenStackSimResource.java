package io.leaseflow.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.infra.FreePort;
import io.leaseflow.testing.infra.SharedInfra;
import io.leaseflow.testing.process.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the packaged OpenStack simulator as its own process (one per test JVM), publishing Blazar notifications to
 * the shared AMQP broker, and points the service under test at its Keystone. Exposes {@code leaseflow.test.sim-url}.
 */
public class OpenStackSimResource implements QuarkusTestResourceLifecycleManager {
    private static final String URL_PROPERTY = "leaseflow.test.sim-url";
    private static ServiceProcess sim;

    @Override
    public Map<String, String> start() {
        ServiceProcess running = simulator();
        return Map.of(
                "quarkus.rest-client.keystone.url", running.baseUrl() + "/identity/v3",
                URL_PROPERTY, running.baseUrl());
    }

    @Override
    public void stop() {
        // The simulator is shared by the JVM's test classes and stopped when the JVM exits.
    }

    public static synchronized ServiceProcess simulator() {
        if (sim == null && System.getProperty(URL_PROPERTY) != null) {
            // Started by an earlier class loader of this JVM (another test profile): reuse it.
            sim = ServiceProcess.attach("openstack-sim", System.getProperty(URL_PROPERTY));
        }
        if (sim == null) {
            AmqpBroker amqp = SharedInfra.amqp();
            sim = ServiceProcess.start("openstack-sim", FreePort.pick(), Map.of(
                    "sim.amqp.host", amqp.host(),
                    "sim.amqp.port", Integer.toString(amqp.port()),
                    "sim.amqp.username", amqp.username(),
                    "sim.amqp.password", amqp.password(),
                    "sim.blazar.tick", "200ms"), Path.of("target/sim-logs"));
            ServiceProcess started = sim;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "openstack-sim-stop"));
            sim.awaitReady(Duration.ofSeconds(90));
            System.setProperty(URL_PROPERTY, sim.baseUrl());
        }
        return sim;
    }
}
