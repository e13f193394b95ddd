package io.leaseflow.contract.exchange;

import java.time.Instant;
import java.util.List;

/**
 * Data of every CloudEvent on {@link io.leaseflow.contract.Topics#EXCHANGE_EVENTS} (key: group id): the group's state
 * after the fact, and for {@code member-reported} the owner's decisions. Schema
 * {@code schemas/exchange-event.schema.json}.
 *
 * @param revision increases with every change of the group's aggregate or status
 * @param report   one decision (what replicas before batched decisions published; still read)
 * @param reports  the decisions on every report of this group in one of the owner's batches, in the order decided;
 *                 the group's state is the state after the last of them
 */
public record ExchangeEvent(
        String groupId,
        String status,
        int size,
        int reported,
        int failed,
        long revision,
        Report report,
        List<Report> reports,
        Instant occurredAt) {

    /** A group-level event (no decisions). */
    public ExchangeEvent(String groupId, String status, int size, int reported, int failed, long revision,
            Instant occurredAt) {
        this(groupId, status, size, reported, failed, revision, null, null, occurredAt);
    }

    /** Every decision the event carries, whichever field carries them. */
    public List<Report> decisions() {
        if (reports != null) {
            return reports;
        }
        return report == null ? List.of() : List.of(report);
    }

    /** The owner's decision on one {@link ExchangeReport}. */
    public record Report(String reportId, String memberKey, Outcome outcome, String rejection) {
    }

    /** {@code UNCHANGED}: the member wrote what it had written before (e.g. a retried signal); nothing changed. */
    public enum Outcome {
        CLAIMED, UPDATED, UNCHANGED, REJECTED
    }
}
