package io.leaseflow.testing.fuzz;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Drives one endpoint ("parser") with {@link BadInputs}: {@code leaseflow.fuzz.tries} cases (default 300; raise it
 * for the long run), seeded by {@code leaseflow.fuzz.seed} (default: random, printed). Every reply must be a 4xx
 * problem, or a 2xx for kinds that can still be valid (a wrong-typed field the API ignores, a dropped optional
 * field); 5xx and non-problem refusals fail with the seed and case to replay. Prints one summary line per parser.
 */
public final class FuzzRun {
    /** Kinds that can never be a valid request. */
    private static final Set<String> ALWAYS_BAD = Set.of("deep-nesting", "oversize", "invalid-utf8", "empty",
            "random-bytes");

    private FuzzRun() {
    }

    public static int tries() {
        return Integer.getInteger("leaseflow.fuzz.tries", 300);
    }

    public static long seed() {
        return Long.getLong("leaseflow.fuzz.seed", System.nanoTime());
    }

    /** Result counts by outcome, for assertions and the closing note. */
    public record Summary(String parser, int tries, long seed, Map<String, Integer> outcomes) {
        public int count(String outcome) {
            return outcomes.getOrDefault(outcome, 0);
        }
    }

    public static Summary run(String parser, Object example, int oversizeBytes, Function<BadInput, HttpProbe.Reply> send) {
        return run(parser, example, oversizeBytes, tries(), send);
    }

    public static Summary run(String parser, Object example, int oversizeBytes, int tries,
            Function<BadInput, HttpProbe.Reply> send) {
        long seed = seed();
        BadInputs inputs = new BadInputs(seed, example, oversizeBytes);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < tries; i++) {
            BadInput input = inputs.next();
            HttpProbe.Reply reply;
            try {
                reply = send.apply(input);
            } catch (RuntimeException e) {
                throw new AssertionError(failure(parser, seed, i, input, "request failed: " + e), e);
            }
            String violation = ProblemCheck.violation(reply);
            boolean accepted = reply.status() / 100 == 2 && !ALWAYS_BAD.contains(input.kind());
            if (violation != null && !accepted) {
                throw new AssertionError(failure(parser, seed, i, input, violation + "; reply "
                        + reply.status() + " " + ProblemCheck.abbreviate(reply.body())));
            }
            outcomes.merge(reply.status() + " " + input.kind(), 1, Integer::sum);
        }
        Summary summary = new Summary(parser, tries, seed, outcomes);
        System.out.printf("FUZZ %s: %d cases, seed %d, 5xx 0, outcomes %s%n", parser, tries, seed, outcomes);
        return summary;
    }

    private static String failure(String parser, long seed, int index, BadInput input, String what) {
        return "FUZZ " + parser + " case " + index + " (replay with -Dleaseflow.fuzz.seed=" + seed + "): " + what
                + "; input " + input.describe();
    }
}
