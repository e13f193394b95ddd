package io.leaseflow.contract.exchange;

import java.time.Instant;

/**
 * Data of every CloudEvent on {@link io.leaseflow.contract.Topics#EXCHANGE_EVENTS} (key: group id): the group's state
 * after the fact, and for {@code member-reported} the decision on one report. Schema
 * {@code schemas/exchange-event.schema.json}.
 *
 * @param revision increases with every change of the group's aggregate or status
 */
public record ExchangeEvent(
        String groupId,
        String status,
        int size,
        int reported,
        int failed,
        long revision,
        Report report,
        Instant occurredAt) {

    /** The owner's decision on one {@link ExchangeReport}. */
    public record Report(String reportId, String memberKey, Outcome outcome, String rejection) {
    }

    /** {@code UNCHANGED}: the member wrote what it had written before (e.g. a retried signal); nothing changed. */
    public enum Outcome {
        CLAIMED, UPDATED, UNCHANGED, REJECTED
    }
}
