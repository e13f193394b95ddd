package io.leaseflow.exchange.member;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;

/** Body of {@code PUT /v1/groups/{id}/members/{key}}: the member's values of the group's outputs. */
public record MemberReport(Map<String, String> outputs) {

    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Checks what needs no database: key syntax (422), presence and size of values (413). */
    public void validate(String key, int maxValueBytes, int maxReportBytes) {
        List<String> errors = new ArrayList<>();
        if (key == null || !KEY.matcher(key).matches()) {
            errors.add("key: must match " + KEY.pattern());
        }
        if (outputs == null) {
            errors.add("outputs: required, an object of output name to string value");
        } else {
            outputs.forEach((name, value) -> {
                if (value == null) {
                    errors.add("outputs." + name + ": must be a string");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "The report is invalid.", errors, Map.of());
        }
        checkValues(outputs, maxValueBytes, maxReportBytes);
    }

    /**
     * 422 when a value holds a NUL character (PostgreSQL text cannot store it); 413 when one value exceeds
     * {@code maxValueBytes} or all together exceed {@code maxReportBytes}.
     */
    public static void checkValues(Map<String, String> outputs, int maxValueBytes, int maxReportBytes) {
        for (var entry : outputs.entrySet()) {
            if (entry.getValue().indexOf('\0') >= 0 || entry.getKey().indexOf('\0') >= 0) {
                throw new ProblemException(ProblemType.INVALID_REQUEST, "The report is invalid.",
                        List.of("outputs: names and values must not contain NUL characters"), Map.of());
            }
        }
        int total = 0;
        for (var entry : outputs.entrySet()) {
            int bytes = entry.getValue().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxValueBytes) {
                throw new ProblemException(ProblemType.OUTPUT_TOO_LARGE,
                        "Output '" + entry.getKey() + "' is " + bytes + " bytes; the limit is " + maxValueBytes + ".");
            }
            total += bytes;
        }
        if (total > maxReportBytes) {
            throw new ProblemException(ProblemType.OUTPUT_TOO_LARGE,
                    "The outputs total " + total + " bytes; the limit is " + maxReportBytes + ".");
        }
    }
}
