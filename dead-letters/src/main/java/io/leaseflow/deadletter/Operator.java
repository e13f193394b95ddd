package io.leaseflow.deadletter;

/** Who called the operator API, as the audit records it: {@code operator-secret} or {@code keystone:<user id>}. */
public record Operator(String name) {
}
