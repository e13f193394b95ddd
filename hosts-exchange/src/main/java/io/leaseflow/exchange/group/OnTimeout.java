package io.leaseflow.exchange.group;

import java.util.Locale;
import java.util.Optional;

/** What a group becomes when its deadline passes before every member reported. */
public enum OnTimeout {
    /** The group is EXPIRED: members should treat the exchange as failed. */
    FAIL(GroupStatus.EXPIRED),
    /** The group is PARTIAL: members get the reports that arrived. */
    PARTIAL(GroupStatus.PARTIAL);

    private final GroupStatus closedAs;

    OnTimeout(GroupStatus closedAs) {
        this.closedAs = closedAs;
    }

    public GroupStatus closedAs() {
        return closedAs;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OnTimeout> fromWire(String value) {
        for (OnTimeout candidate : values()) {
            if (candidate.wireName().equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
