package io.leaseflow.deadletter;

/** Where a dead letter stands: waiting for an operator, replayed with an effect (or none needed), or discarded. */
public enum DeadLetterStatus {
    ACTIVE, REPLAYED, DISCARDED
}
