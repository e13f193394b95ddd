package io.leaseflow.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.process.RepoLayout;
import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;

/**
 * The one-command demo: embedded Kafka (KRaft), PostgreSQL and an AMQP broker, the OpenStack simulator and the three
 * services as separate processes; then one lease's story from Blazar's notification to Heat's UPDATE_COMPLETE, and
 * simulated instances running the shipped agent exchange their hosts lines. {@code --smoke} exits when the story is
 * done (for CI); otherwise it stays up. {@code --instances N} (default 8) sizes the cluster, {@code --payload
 * chameleon|upstream} picks the simulated Blazar's notification payload, {@code --heat-agent} gives the servers
 * os-collect-config metadata (Heat-agent images) instead of the agent's cloud-init.
 */
public final class DemoMain {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        boolean smoke = arguments.contains("--smoke");
        int instances = option(arguments, "--instances", "8").matches("[0-9]{1,4}")
                ? Integer.parseInt(option(arguments, "--instances", "8")) : -1;
        String payload = option(arguments, "--payload", "chameleon");
        boolean heatAgent = arguments.contains("--heat-agent");
        if (instances < 1 || instances > 1000 || !List.of("chameleon", "upstream").contains(payload)) {
            System.err.println("usage: bin/demo [--smoke] [--instances 1..1000] [--payload chameleon|upstream]"
                    + " [--heat-agent]");
            System.exit(2);
        }
        if (System.getenv(InfraPath.MODE_VARIABLE) == null) {
            System.setProperty(InfraPath.MODE_VARIABLE, "embedded");
        }
        Path logs = RepoLayout.root().resolve(".demo/logs");
        say("starting embedded infrastructure (no Docker needed)");
        KafkaBroker kafka = KafkaBroker.start();
        PostgresServer postgres = PostgresServer.start();
        AmqpBroker amqp = AmqpBroker.start();
        say("Kafka " + kafka.bootstrapServers() + ", PostgreSQL " + postgres.host() + ":" + postgres.port()
                + ", AMQP " + amqp.host() + ":" + amqp.port() + " (" + amqp.path() + ")");

        say("starting openstack-sim, lease-watcher, stack-launcher, hosts-exchange (logs in " + logs + ")");
        LeaseflowStack stack = LeaseflowStack.start(kafka, postgres, amqp, logs,
                Map.of("sim.blazar.payload", payload));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("stopping");
            stack.close();
            close(amqp);
            close(postgres);
            close(kafka);
            stopped.countDown();
        }, "demo-stop"));

        LaunchStory.Outcome launch = new LaunchStory(stack, DemoMain::say, "demo-cluster", instances, heatAgent)
                .run(Duration.ofSeconds(6), Duration.ofSeconds(120));
        boolean launched = "UPDATE_COMPLETE".equals(launch.stackStatus())
                && launch.reservationId().equals(launch.reservationParameterOnStack());
        boolean exchanged = false;
        if (launched) {
            InstancesStory.Outcome fleet;
            try {
                fleet = new InstancesStory(stack.sim().baseUrl(), DemoMain::say)
                        .await(launch.stackId(), instances, Duration.ofSeconds(240));
            } catch (IllegalStateException e) {
                say("DEMO FAILED: " + e.getMessage());
                System.exit(1);
                return;
            }
            exchanged = fleet.allDone() && fleet.distinctEtcHosts() == 1;
            JsonNode first = fleet.instances().get(0);
            say("instances: all " + instances + " agents " + (exchanged ? "installed the same" : "did NOT all install the")
                    + " group block " + fleet.firstSeenToSettled().toMillis() + " ms after the first boot; /etc/hosts of "
                    + first.path("name").asText() + " (" + first.path("ip").asText() + "):\n"
                    + first.path("etc_hosts").asText().strip().indent(4).stripTrailing());
            if (!exchanged) {
                fleet.instances().stream().filter(i -> !"done".equals(i.path("status").asText())).limit(3)
                        .forEach(i -> say(i.path("name").asText() + " " + i.path("status").asText() + ": "
                                + i.path("log_tail")));
            }
        }

        for (var service : List.of(stack.watcher(), stack.launcher(), stack.exchange(), stack.sim())) {
            say(String.format("%-15s %s  (metrics %s/q/metrics, API %s/q/swagger-ui, log %s)", service.name(),
                    service.baseUrl(), service.baseUrl(), service.baseUrl(), service.log()));
        }
        if (!launched || !exchanged) {
            say("DEMO FAILED: launch " + (launched ? "ok" : "not ok") + ", instances' exchange "
                    + (exchanged ? "ok" : "not ok"));
            System.exit(1);
        }
        say("DEMO OK: stack " + launch.stackId() + " UPDATE_COMPLETE with reservation_id=" + launch.reservationId()
                + ", " + instances + " instances share one /etc/hosts block");
        if (smoke) {
            System.exit(0);
        }
        say("leaseflow keeps running; press Ctrl-C to stop");
        stopped.await();
    }

    private static String option(List<String> args, String name, String fallback) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
        }
        return fallback;
    }

    static void say(String line) {
        System.out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
        System.out.flush();
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("could not stop " + c + ": " + e);
        }
    }
}
