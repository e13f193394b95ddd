package io.leaseflow.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** CPU used by each process (and by the whole machine) between construction and {@link #shares()}, in cores. */
final class CpuWindow {
    private final Map<String, Long> pids;
    private final Map<String, Double> before = new LinkedHashMap<>();
    private final double[] machineBefore;
    private final long startNanos = System.nanoTime();

    CpuWindow(Map<String, Long> pids) {
        this.pids = pids;
        pids.forEach((name, pid) -> before.put(name, Procs.cpuSeconds(pid)));
        machineBefore = Procs.machine();
    }

    /** Cores used on average by each process, plus "machine" (everything, including other users of the box). */
    Map<String, Double> shares() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> shares = new LinkedHashMap<>();
        pids.forEach((name, pid) -> shares.put(name, (Procs.cpuSeconds(pid) - before.get(name)) / wall));
        double[] machine = Procs.machine();
        shares.put("machine", (machine[0] - machineBefore[0]) / wall);
        return shares;
    }
}
