package io.leaseflow.sim.heat;

import java.util.List;

/**
 * Fired (CDI, synchronously, outside the stack's monitor) when a stack action completes: the servers that exist
 * now, or none once the stack is deleted. The simulated instances follow it.
 */
public record StackSettled(String stackId, String stackName, String action, List<ServerSpec> servers, boolean deleted) {
}
