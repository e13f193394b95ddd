package io.leaseflow.sim.blazar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/** Request dates: Blazar's {@code "%Y-%m-%d %H:%M"} or {@code "now"}, naive UTC. */
final class LeaseDates {

    /** Seconds (and a {@code T}) are accepted too, so tests need not wait for the next minute. */
    private static final DateTimeFormatter REQUEST = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
            .toFormatter();

    private LeaseDates() {
    }

    /** Blazar's "now" is the current minute, so the start event is due at once. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES);
    }

    static Instant parse(Object value, String field) {
        if (value == null) {
            throw BlazarError.invalid("Missing parameter " + field);
        }
        String text = value.toString().trim();
        if ("now".equals(text)) {
            return now();
        }
        try {
            return LocalDateTime.parse(text, REQUEST).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw BlazarError.invalid("Invalid date format: " + text + "; expected %Y-%m-%d %H:%M");
        }
    }
}
