package io.leaseflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** JFR on a running child JVM through jcmd (no change to how the services are started), and a summary of it. */
final class Profiles {
    private Profiles() {
    }

    static boolean start(long pid, Path file) {
        String out = Procs.jdkTool("jcmd", Long.toString(pid), "JFR.start", "name=leaseflow-bench", "settings=profile",
                "filename=" + file);
        return out.contains("Started recording");
    }

    static void stop(long pid) {
        Procs.jdkTool("jcmd", Long.toString(pid), "JFR.stop", "name=leaseflow-bench");
    }

    /** Execution samples: share by top frame (self time) and by the first leaseflow or library frame category. */
    static String summarize(Path file, int top) {
        if (!Files.isRegularFile(file)) {
            return "(no recording)";
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> byPackage = new HashMap<>();
        int samples = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = st.getFrames();
                RecordedFrame f = frames.get(0);
                self.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
                byPackage.merge(pkg(f.getMethod().getType().getName()), 1, Integer::sum);
            }
        } catch (IOException e) {
            return "(recording unreadable: " + e.getMessage() + ")";
        }
        int n = samples;
        if (n == 0) {
            return "(no execution samples)";
        }
        return "  " + n + " CPU samples; self time by package: " + topOf(byPackage, n, top) + "\n  hottest methods: "
                + topOf(self, n, top);
    }

    private static String topOf(Map<String, Integer> counts, int total, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> String.format("`%s` %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }

    private static String pkg(String type) {
        String[] parts = type.split("\\.");
        int keep = Math.min(parts.length - 1, type.startsWith("io.leaseflow") ? 3 : 3);
        return keep <= 0 ? type : String.join(".", java.util.Arrays.copyOf(parts, keep));
    }
}
