package io.leaseflow.exchange.inputs;

import java.util.SortedMap;

import io.leaseflow.exchange.group.GroupStatus;

/**
 * The aggregate members long-poll for: per output, each member's value by key (sorted, so the JSON and its ETag
 * are deterministic). Members that reported a non-zero status count in {@code reported} and {@code failed} but
 * contribute no values.
 */
public record GroupInputs(GroupStatus status, int size, int reported, int failed,
        SortedMap<String, SortedMap<String, String>> inputs) {
}
