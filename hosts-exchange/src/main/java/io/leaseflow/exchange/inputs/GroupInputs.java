package io.leaseflow.exchange.inputs;

import java.util.SortedMap;

import io.leaseflow.exchange.group.GroupStatus;

/**
 * The aggregate members long-poll for: per output, each member's value by key (sorted, so the JSON and its ETag
 * are deterministic).
 */
public record GroupInputs(GroupStatus status, int size, int reported,
        SortedMap<String, SortedMap<String, String>> inputs) {
}
