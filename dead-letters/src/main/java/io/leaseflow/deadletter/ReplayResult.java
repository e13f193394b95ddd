package io.leaseflow.deadletter;

/** What a replay came to: processed ({@code outcome} says whether it had an effect) or still not usable. */
public record ReplayResult(boolean stillBad, String outcome) {

    /** Went through the normal path; {@code outcome} e.g. {@code published} or {@code duplicate}. */
    public static ReplayResult applied(String outcome) {
        return new ReplayResult(false, outcome);
    }

    /** The data is still unusable; {@code reason} becomes the letter's reason. */
    public static ReplayResult stillBad(String reason) {
        return new ReplayResult(true, reason);
    }
}
