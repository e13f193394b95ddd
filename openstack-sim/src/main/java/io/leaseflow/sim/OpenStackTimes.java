package io.leaseflow.sim;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The handful of naive-UTC date formats the OpenStack services put on the wire. */
public final class OpenStackTimes {

    /** oslo's PERFECT_TIME_FORMAT, used by Blazar for start/end dates and event times. */
    public static final DateTimeFormatter PERFECT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    /** SQLAlchemy model {@code isoformat(' ')} for created_at/updated_at. */
    public static final DateTimeFormatter ROW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Heat's creation_time/updated_time. */
    public static final DateTimeFormatter HEAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    /** Keystone's expires_at/issued_at. */
    public static final DateTimeFormatter KEYSTONE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private OpenStackTimes() {
    }

    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    public static String format(Instant instant, DateTimeFormatter format) {
        return instant == null ? null : format.format(utc(instant));
    }

    /** Python's {@code str(datetime)}: the fraction disappears when microseconds are 0. */
    public static String pythonStr(Instant instant) {
        LocalDateTime t = utc(instant);
        String base = ROW.format(t);
        int micros = t.getNano() / 1000;
        return micros == 0 ? base : base + String.format(".%06d", micros);
    }
}
