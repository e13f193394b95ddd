package io.leaseflow.launcher.blazar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.leaseflow.contract.LeaseEvent;

/** What stack-launcher reads of a Blazar lease: its reservations and its dates (null if Blazar's are unreadable). */
public record BlazarLease(List<LeaseEvent.Reservation> reservations, Instant startDate, Instant endDate) {

    /** Blazar dates are naive UTC: {@code 2017-12-26T12:00:00.000000}, or {@code 2017-12-26 12:00} as given. */
    static Instant blazarTime(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
