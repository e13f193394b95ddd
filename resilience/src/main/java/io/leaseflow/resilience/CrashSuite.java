package io.leaseflow.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.leaseflow.demo.LeaseflowStack;

/**
 * Leases and exchange groups through the real services (separate processes) on a real Kafka broker, PostgreSQL and
 * AMQP broker, while {@link Chaos} kills and restarts each of them. Afterwards the simulator's request log must
 * show exactly one accepted Heat PATCH, with the lease's reservation id, per lease: 0 lost, 0 duplicates; and every
 * member of every group must hold the same complete aggregate.
 * <p>
 * {@code java -jar resilience/target/leaseflow-resilience.jar [--leases=2000 --window=240 --rounds=3 ...]}
 */
public final class CrashSuite {
    /** The knobs; {@link #SHORT} runs in CI, {@link #LONG} is the full run. */
    public record Profile(int leases, Duration window, int rounds, int groups, int members, Duration drain,
            long seed) {
        public static final Profile SHORT = new Profile(300, Duration.ofSeconds(90), 1, 4, 8, Duration.ofSeconds(240),
                20261125L);
        public static final Profile LONG = new Profile(2000, Duration.ofSeconds(300), 3, 20, 10,
                Duration.ofSeconds(600), 20261125L);

        Profile with(Map<String, String> args) {
            return new Profile(
                    Integer.parseInt(args.getOrDefault("leases", Integer.toString(leases))),
                    Duration.ofSeconds(Long.parseLong(args.getOrDefault("window", Long.toString(window.toSeconds())))),
                    Integer.parseInt(args.getOrDefault("rounds", Integer.toString(rounds))),
                    Integer.parseInt(args.getOrDefault("groups", Integer.toString(groups))),
                    Integer.parseInt(args.getOrDefault("members", Integer.toString(members))),
                    Duration.ofSeconds(Long.parseLong(args.getOrDefault("drain", Long.toString(drain.toSeconds())))),
                    Long.parseLong(args.getOrDefault("seed", Long.toString(seed))));
        }
    }

    /** What the run counted. */
    public record Result(int leases, Map<Chaos.Fault, Integer> faults, int lost, int duplicates,
            int wrongReservation, int refusedPatches, int groups, int consistentGroups, List<String> problems,
            Duration elapsed) {
        public int faultsPerformed() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        public String summary() {
            return String.format("leases=%d faults=%d %s lost=%d duplicates=%d wrong-reservation=%d "
                    + "refused-PATCHes=%d groups=%d consistent=%d elapsed=%ds%s", leases, faultsPerformed(), faults,
                    lost, duplicates, wrongReservation, refusedPatches, groups, consistentGroups, elapsed.toSeconds(),
                    problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems));
        }
    }

    private CrashSuite() {
    }

    public static Result run(Profile profile, Path logDir, Consumer<String> say) throws Exception {
        long began = System.nanoTime();
        try (RestartableKafka kafka = new RestartableKafka();
                RestartablePostgres postgres = new RestartablePostgres();
                RestartableAmqp amqp = new RestartableAmqp();
                LeaseflowStack stack = LeaseflowStack.start(kafka.asBroker(), postgres.asServer(), amqp.current(),
                        logDir, Map.of("sim.blazar.tick", "200ms", "sim.blazar.payload", "upstream"),
                        Map.of("lease-watcher", Map.of("leaseflow.reconcile.interval", "5s"),
                                "stack-launcher", Map.of("leaseflow.launcher.recovery.interval", "5s",
                                        "leaseflow.launcher.recovery.grace", "20s")))) {
            say.accept("services up; preparing " + profile.leases() + " leases with INIT_COMPLETE stacks and bindings");
            LeaseLoad leases = new LeaseLoad(stack.sim().baseUrl(), stack.launcher().baseUrl());
            List<LeaseLoad.Lease> prepared = leases.prepare(profile.leases(), 16);
            Instant first = Instant.now().plusSeconds(3);
            say.accept("scheduling starts over " + profile.window().toSeconds() + " s; " + profile.groups() + " groups of "
                    + profile.members() + " report meanwhile; faults: " + profile.rounds() + " round(s) of "
                    + Chaos.Fault.values().length);
            leases.scheduleStarts(prepared, first, profile.window());
            ExchangeLoad exchange = new ExchangeLoad(stack.exchange().baseUrl());
            CompletableFuture<List<ExchangeLoad.GroupOutcome>> groups = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange.run(profile.groups(), profile.members(), profile.window(),
                            profile.window().plus(profile.drain()), profile.seed());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Chaos chaos = new Chaos(stack, kafka, postgres, amqp, say);
            chaos.run(profile.window(), profile.rounds(), profile.seed());
            say.accept("faults over; waiting up to " + profile.drain().toSeconds() + " s for every lease's launch");
            LeaseLoad.Launches launches = awaitLaunches(leases, prepared, profile.drain());
            List<ExchangeLoad.GroupOutcome> outcomes = groups.get();
            return result(profile, prepared, launches, chaos, outcomes, began);
        }
    }

    private static LeaseLoad.Launches awaitLaunches(LeaseLoad leases, List<LeaseLoad.Lease> prepared, Duration drain)
            throws Exception {
        long end = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < end && !allLaunched(leases.launches(), prepared)) {
            Thread.sleep(2000);
        }
        // Late duplicates (a recovery pass, a redelivery) would show up a little after the last launch.
        Thread.sleep(10_000);
        return leases.launches();
    }

    private static boolean allLaunched(LeaseLoad.Launches launches, List<LeaseLoad.Lease> prepared) {
        return prepared.stream().allMatch(l -> launches.accepted().containsKey(l.stackId()));
    }

    private static Result result(Profile profile, List<LeaseLoad.Lease> prepared, LeaseLoad.Launches launches,
            Chaos chaos, List<ExchangeLoad.GroupOutcome> outcomes, long began) {
        int lost = 0;
        int duplicates = 0;
        int wrong = 0;
        List<String> problems = new java.util.ArrayList<>();
        for (LeaseLoad.Lease lease : prepared) {
            int accepted = launches.accepted().getOrDefault(lease.stackId(), 0);
            if (accepted == 0) {
                lost++;
                problems.add("lost: lease " + lease.leaseId() + " stack " + lease.stackId());
            } else if (accepted > 1) {
                duplicates += accepted - 1;
                problems.add("duplicate: stack " + lease.stackId() + " PATCHed " + accepted + " times");
            }
            for (String reservation : launches.reservationIds().getOrDefault(lease.stackId(), List.of())) {
                if (!lease.reservationId().equals(reservation)) {
                    wrong++;
                    problems.add("wrong reservation id on stack " + lease.stackId() + ": " + reservation);
                }
            }
        }
        int consistent = 0;
        for (ExchangeLoad.GroupOutcome g : outcomes) {
            if (g.consistent()) {
                consistent++;
            } else {
                problems.add("group " + g.groupId() + ": " + g.received().size() + "/" + g.size()
                        + " members hold an aggregate, they agree: "
                        + (g.received().values().stream().distinct().count() <= 1) + ", failures " + g.failures());
            }
        }
        return new Result(prepared.size(), chaos.performed(), lost, duplicates, wrong, launches.refused(),
                outcomes.size(), consistent, problems.size() > 50 ? problems.subList(0, 50) : problems,
                Duration.ofNanos(System.nanoTime() - began));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value; names: leases, window, rounds, groups, "
                        + "members, drain, seed");
            }
            args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        Profile profile = Profile.LONG.with(args);
        System.out.println("crash suite: " + profile);
        Result result = run(profile, Path.of("resilience/target/crash-logs"),
                line -> System.out.println("[" + java.time.LocalTime.now().withNano(0) + "] " + line));
        System.out.println("crash suite result: " + result.summary());
        System.exit(result.lost() == 0 && result.duplicates() == 0 && result.wrongReservation() == 0
                && result.consistentGroups() == result.groups() ? 0 : 1);
    }
}
