package io.leaseflow.contract.exchange;

import java.util.Arrays;
import java.util.Optional;

/** CloudEvents types of the exchange topics. */
public enum ExchangeCloudEvents {
    /** On {@code leaseflow.exchange-reports}: a member write waiting for the partition owner's decision. */
    REPORT_SUBMITTED("io.leaseflow.exchange.report-submitted"),
    /** The owner decided on a report (claimed, updated, unchanged or rejected). */
    MEMBER_REPORTED("io.leaseflow.exchange.member-reported"),
    /** The last member reported: the aggregate is final. */
    GROUP_COMPLETED("io.leaseflow.exchange.group-completed"),
    /** Any other change that parked readers care about, e.g. the group was deleted. */
    GROUP_CHANGED("io.leaseflow.exchange.group-changed"),
    /** The deadline passed: EXPIRED or PARTIAL per the group's {@code on_timeout}. */
    GROUP_EXPIRED("io.leaseflow.exchange.group-expired");

    private final String type;

    ExchangeCloudEvents(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static Optional<ExchangeCloudEvents> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }
}
