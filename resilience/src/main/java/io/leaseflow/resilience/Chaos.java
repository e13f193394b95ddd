package io.leaseflow.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.leaseflow.demo.LeaseflowStack;
import io.leaseflow.testing.process.ServiceProcess;

/**
 * The faults: SIGKILL and restart of each service, a Kafka broker restart, a PostgreSQL crash (SIGKILL of the
 * postmaster) and restart, and an AMQP broker outage. Rounds of all six in a seeded random order are spread over
 * the window, each at a random moment of its slot; {@link #performed()} counts what actually happened.
 */
final class Chaos {
    enum Fault {
        KILL_LEASE_WATCHER, KILL_STACK_LAUNCHER, KILL_HOSTS_EXCHANGE, RESTART_KAFKA, CRASH_POSTGRES, CUT_AMQP
    }

    private final LeaseflowStack stack;
    private final RestartableKafka kafka;
    private final RestartablePostgres postgres;
    private final RestartableAmqp amqp;
    private final Consumer<String> say;
    private final Map<Fault, AtomicInteger> performed = new ConcurrentHashMap<>();

    Chaos(LeaseflowStack stack, RestartableKafka kafka, RestartablePostgres postgres, RestartableAmqp amqp,
            Consumer<String> say) {
        this.stack = stack;
        this.kafka = kafka;
        this.postgres = postgres;
        this.amqp = amqp;
        this.say = say;
    }

    /** {@code rounds} rounds of every fault over {@code window}; blocks until the last fault is over. */
    void run(Duration window, int rounds, long seed) throws Exception {
        Random random = new Random(seed);
        List<Fault> plan = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Fault> round = new ArrayList<>(List.of(Fault.values()));
            Collections.shuffle(round, random);
            plan.addAll(round);
        }
        long slot = window.toMillis() / plan.size();
        long began = System.currentTimeMillis();
        for (int i = 0; i < plan.size(); i++) {
            long at = began + i * slot + (long) (random.nextDouble() * slot * 0.6);
            long wait = at - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            Fault fault = plan.get(i);
            long down = 1000 + random.nextInt(3000);
            say.accept(String.format("chaos +%5.1f s: %s (down %d ms)", (System.currentTimeMillis() - began) / 1000.0,
                    fault, down));
            inject(fault, down);
            performed.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void inject(Fault fault, long downMillis) throws Exception {
        switch (fault) {
            case KILL_LEASE_WATCHER -> killAndRestart(stack.watcher(), downMillis);
            case KILL_STACK_LAUNCHER -> killAndRestart(stack.launcher(), downMillis);
            case KILL_HOSTS_EXCHANGE -> killAndRestart(stack.exchange(), downMillis);
            case RESTART_KAFKA -> kafka.restart(downMillis);
            case CRASH_POSTGRES -> postgres.crashAndRestart(downMillis);
            case CUT_AMQP -> amqp.cut(downMillis);
        }
    }

    private void killAndRestart(ServiceProcess service, long downMillis) throws InterruptedException {
        service.kill();
        Thread.sleep(downMillis);
        service.restart().awaitReady(Duration.ofSeconds(120));
    }

    Map<Fault, Integer> performed() {
        Map<Fault, Integer> counts = new TreeMap<>();
        for (Fault f : Fault.values()) {
            counts.put(f, performed.getOrDefault(f, new AtomicInteger()).get());
        }
        return counts;
    }
}
