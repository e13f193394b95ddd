package io.leaseflow.exchange.group;

/** OPEN accepts reports; the others are final. */
public enum GroupStatus {
    OPEN, COMPLETE, EXPIRED, PARTIAL;

    public boolean isOpen() {
        return this == OPEN;
    }
}
