package io.leaseflow.exchange.report;

import io.leaseflow.contract.exchange.ExchangeEvent;

/** The partition owner's decision on one report, as the replica that took the write learns it. */
public record Decision(ExchangeEvent.Outcome outcome, String rejection, String groupStatus) {
}
