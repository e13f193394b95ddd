package io.leaseflow.exchange;

/** The topics a test class gets (with its own suffix) from {@code KafkaBrokerResource}. */
final class ExchangeTopics {
    static final String ALL = "leaseflow.exchange-reports,leaseflow.exchange-events,leaseflow.exchange-reports.dlq,"
            + "leaseflow.exchange-events.dlq";

    private ExchangeTopics() {
    }
}
