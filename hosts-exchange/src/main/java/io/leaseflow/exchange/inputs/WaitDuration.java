package io.leaseflow.exchange.inputs;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;

/** Parses {@code ?wait=}: {@code 60}, {@code 60s}, {@code 1500ms}, {@code 2m}; absent means answer at once. */
final class WaitDuration {

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private WaitDuration() {
    }

    /** Capped at {@code max}, so clients may ask for more than the server grants. */
    static Duration parse(String wait, Duration max) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Matcher m = SYNTAX.matcher(wait.trim());
        if (!m.matches()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "wait: expected e.g. 60s, 1500ms or 2m; got '"
                    + wait + "'.");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration asked = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        return asked.compareTo(max) > 0 ? max : asked;
    }
}
