package io.leaseflow.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Watches the simulated instances of a launched stack (the simulator's {@code GET /sim/instances}): each runs the
 * shipped agent from its cloud-init, reports its own hosts line to hosts-exchange, waits for the group, and writes
 * the aggregate into its own {@code /etc/hosts}.
 */
public final class InstancesStory {
    private static final Set<String> SETTLED = Set.of("done", "failed", "idle", "stopped");
    private final JsonHttp http = new JsonHttp();
    private final String simUrl;
    private final Consumer<String> narrate;

    /** The instances as the simulator shows them when all had settled, and how long that took from the first boot. */
    public record Outcome(List<JsonNode> instances, Duration firstSeenToSettled) {
        public boolean allDone() {
            return instances.stream().allMatch(i -> "done".equals(i.path("status").asText()));
        }

        /** Distinct {@code /etc/hosts} contents over all instances: one when the exchange worked. */
        public long distinctEtcHosts() {
            return instances.stream().map(i -> i.path("etc_hosts").asText()).distinct().count();
        }
    }

    public InstancesStory(String simUrl, Consumer<String> narrate) {
        this.simUrl = simUrl;
        this.narrate = narrate;
    }

    public Outcome await(String stackId, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstSeen = 0;
        String last = "";
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            JsonNode listed = http.get(simUrl + "/sim/instances?stack_id=" + stackId, Map.of()).expect(200).body();
            List<JsonNode> instances = new ArrayList<>();
            listed.forEach(instances::add);
            if (!instances.isEmpty() && firstSeen == 0) {
                firstSeen = System.nanoTime();
            }
            Map<String, Integer> counts = new TreeMap<>();
            instances.forEach(i -> counts.merge(i.path("status").asText(), 1, Integer::sum));
            String summary = counts.toString();
            boolean settled = instances.size() == expected
                    && instances.stream().allMatch(i -> SETTLED.contains(i.path("status").asText()));
            // At most one progress line a second, and always the last one.
            if (!instances.isEmpty() && !summary.equals(last)
                    && (settled || System.nanoTime() - lastSaid > 1_000_000_000L)) {
                narrate.accept("instances: " + instances.size() + " of " + expected + " booted, agents " + summary);
                last = summary;
                lastSaid = System.nanoTime();
            }
            if (settled) {
                return new Outcome(instances, Duration.ofNanos(System.nanoTime() - firstSeen));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the instances of stack " + stackId + " did not settle within " + timeout
                + "; last seen " + last);
    }
}
