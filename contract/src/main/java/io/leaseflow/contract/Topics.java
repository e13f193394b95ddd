package io.leaseflow.contract;

/** Kafka topic names of the event contract. Each consumer also has {@code <topic>.dlq}. */
public final class Topics {
    public static final String LEASE_EVENTS = "leaseflow.lease-events";
    public static final String STACK_EVENTS = "leaseflow.stack-events";
    public static final String EXCHANGE_REPORTS = "leaseflow.exchange-reports";
    public static final String EXCHANGE_EVENTS = "leaseflow.exchange-events";
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }
}
