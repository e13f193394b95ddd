package io.leaseflow.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.leaseflow.testing.amqp.AmqpBroker;
import io.leaseflow.testing.process.RepoLayout;
import io.leaseflow.testing.infra.InfraPath;
import io.leaseflow.testing.kafka.KafkaBroker;
import io.leaseflow.testing.postgres.PostgresServer;

/**
 * The one-command demo: embedded Kafka (KRaft), PostgreSQL and an AMQP broker, the OpenStack simulator and the three
 * services as separate processes; then one lease's story from Blazar's notification to Heat's UPDATE_COMPLETE, and
 * an all-to-all hosts exchange. {@code --smoke} exits when the story is done (for CI); otherwise it stays up.
 */
public final class DemoMain {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
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
                Map.of("sim.blazar.payload", "chameleon"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("stopping");
            stack.close();
            close(amqp);
            close(postgres);
            close(kafka);
            stopped.countDown();
        }, "demo-stop"));

        LaunchStory.Outcome launch = new LaunchStory(stack, DemoMain::say).run(Duration.ofSeconds(6),
                Duration.ofSeconds(120));
        boolean launched = "UPDATE_COMPLETE".equals(launch.stackStatus())
                && launch.reservationId().equals(launch.reservationParameterOnStack());
        ExchangeStory.Outcome exchange = new ExchangeStory(stack.exchange().baseUrl(), DemoMain::say).run(3);
        boolean exchanged = exchange.received().stream()
                .allMatch(r -> "COMPLETE".equals(r.path("status").asText()) && r.at("/inputs/hosts").size() == 3);

        for (var service : java.util.List.of(stack.watcher(), stack.launcher(), stack.exchange(), stack.sim())) {
            say(String.format("%-15s %s  (metrics %s/q/metrics, API %s/q/swagger-ui, log %s)", service.name(),
                    service.baseUrl(), service.baseUrl(), service.baseUrl(), service.log()));
        }
        if (!launched || !exchanged) {
            say("DEMO FAILED: launch " + (launched ? "ok" : "not ok") + ", exchange " + (exchanged ? "ok" : "not ok"));
            System.exit(1);
        }
        say("DEMO OK: stack " + launch.stackId() + " UPDATE_COMPLETE with reservation_id=" + launch.reservationId());
        if (smoke) {
            System.exit(0);
        }
        say("leaseflow keeps running; press Ctrl-C to stop");
        stopped.await();
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
