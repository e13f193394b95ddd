package io.leaseflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux says about a process: resident memory, CPU time; and the machine's busy time. */
final class Procs {
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");
    /** USER_HZ; 100 on every Linux we run on. */
    private static final double TICKS = 100.0;

    private Procs() {
    }

    /** VmRSS (or another {@code Vm*} line) in KiB, -1 when the process is gone. */
    static long vmKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
    static double[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new double[] {(total - idle) / TICKS, total / TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    /** Quarkus's own "started in N s" from the service log. */
    static Optional<Double> quarkusStartSeconds(Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log));
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** Runs a JDK tool (jcmd) and returns its output; never throws. */
    static String jdkTool(String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out.trim();
        } catch (IOException e) {
            return "(" + tool + " failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
