package io.leaseflow.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.bench.AgentLatency.GroupRun;
import io.leaseflow.bench.AgentLatency.MemberRun;
import io.leaseflow.bench.AgentLatency.ModeRun;

/** The console table and {@code bench/AGENT-LATENCY.md} of {@link AgentLatency}. */
final class AgentLatencyReport {
    private AgentLatencyReport() {
    }

    /** A phase: its latency per member (null when the member never got there). */
    private record Phase(String name, Function<ModeRun, List<Double>> values) {
    }

    private static final List<Phase> PHASES = List.of(
            new Phase("export: capability issued -> export signal received",
                    r -> each(r, (g, m) -> AgentLatency.seconds(m.issued(), m.exportReceived()))),
            new Phase("populate: group complete -> populate signal received",
                    r -> each(r, (g, m) -> AgentLatency.seconds(g.closedAt(), m.populateReceived()))),
            new Phase("  of which: waiting for the agent's next poll",
                    r -> each(r, (g, m) -> AgentLatency.seconds(g.closedAt(), m.populateServed()))),
            new Phase("  of which: poll -> chain -> signal",
                    r -> each(r, (g, m) -> AgentLatency.seconds(m.populateServed(), m.populateReceived()))),
            new Phase("end to end (per group): first boot -> all populated",
                    r -> r.groups().stream().map(AgentLatencyReport::endToEnd).toList()));

    private static List<Double> each(ModeRun run, BiFunction<GroupRun, MemberRun, Double> f) {
        List<Double> values = new ArrayList<>();
        run.groups().forEach(g -> g.members().forEach(m -> values.add(f.apply(g, m))));
        return values;
    }

    static double endToEnd(GroupRun group) {
        return group.allPopulated() ? AgentLatency.seconds(group.start(), group.members().stream()
                .map(MemberRun::populateReceived).max(Comparator.naturalOrder()).orElse(null)) : Double.NaN;
    }

    /** Nearest-rank percentile; NaN (a member that never got there) counts as the largest value. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingDouble(v -> v.isNaN() ? Double.MAX_VALUE : v));
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String s(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String table(List<ModeRun> runs) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-56s", "seconds (p50 / max over members)"));
        for (ModeRun run : runs) {
            t.append(String.format(Locale.ROOT, " | %-22s", run.mode() + " (" + run.openInterval() + "/"
                    + run.closedInterval() + " s)"));
        }
        t.append('\n');
        for (Phase phase : PHASES) {
            t.append(String.format(Locale.ROOT, "%-56s", phase.name()));
            for (ModeRun run : runs) {
                List<Double> v = phase.values().apply(run);
                t.append(String.format(Locale.ROOT, " | %-22s", s(percentile(v, 50)) + " / " + s(percentile(v, 100))));
            }
            t.append('\n');
        }
        return t.toString();
    }

    static String markdown(List<ModeRun> runs, Map<String, String> knobs) {
        StringBuilder md = new StringBuilder();
        md.append("# Heat-agent phase latency: steered vs default polling (issue 13)\n\n");
        md.append("Measured ").append(AgentLatency.now()).append(" by `")
                .append(("bin/agent-latency " + knobsLine(knobs)).trim()).append("` (`io.leaseflow.bench.AgentLatency`; how: `bench/README.md`).\n");
        md.append("Real Debian 12 `os-collect-config`/`os-refresh-config`/`os-apply-config` 12.0.0, heat-agents pieces "
                + "reconstructed (`bench/src/main/resources/heat-agent/`), one hosts-exchange replica (child JVM) on "
                + "embedded Kafka and PostgreSQL, ").append(knobs.get("members"))
                .append(" members per group, ").append(knobs.get("groups")).append(" groups at a time per mode, member i of "
                        + "a group booting at i × ").append(knobs.get("stagger"))
                .append(" s + U[0, ").append(knobs.get("stagger")).append(" s) (seed ").append(knobs.get("seed"))
                .append(", the same schedule in each mode). Nearest-rank percentiles over all members "
                        + "(end to end: over the groups), seconds; `—` = never happened.\n\n");
        md.append("| phase |");
        runs.forEach(r -> md.append(" ").append(r.mode()).append(" p50 | ").append(r.mode()).append(" max |"));
        md.append("\n|---|");
        runs.forEach(r -> md.append("---:|---:|"));
        md.append('\n');
        for (Phase phase : PHASES) {
            md.append("| ").append(phase.name().trim()).append(" |");
            for (ModeRun run : runs) {
                List<Double> v = phase.values().apply(run);
                md.append(' ').append(s(percentile(v, 50))).append(" | ").append(s(percentile(v, 100))).append(" |");
            }
            md.append('\n');
        }
        md.append("\nModes: `steered` = hosts-exchange's defaults (`open-polling-interval` 2, `closed-polling-interval` "
                + "30); `default` = both 30, so the served `os-collect-config` block never changes the agent's cadence "
                + "(what an agent Heat does not steer does).\n\n");
        md.append("Reading it: export costs the same in both modes, because the capability URL serves the export "
                + "deployment from the start and os-collect-config polls once as it starts. Populate is the time to "
                + "each agent's next poll plus its chain (os-refresh-config → os-apply-config → 55-heat-config → "
                + "script → heat-config-notify). An agent's poll gaps grow 1, 2, 4, 8, 16, 30 s from its last "
                + "(re)start, so under default polling the wait depends on the agent's age when the group completes "
                + "and is uniform in 0–30 s once it is older than about 31 s; steered, the gap is 2 s while the group "
                + "is open, whatever its age. Every agent shares this machine's cores: steered agents of a group "
                + "pick populate up within the same 2 s and run their chains at the same time, hence a slower chain "
                + "than under default polling, where they come one by one. End to end is dominated by the boot "
                + "schedule (the last member boots ").append(lastBoot(knobs)).append(" s after the first).\n");
        for (ModeRun run : runs) {
            details(md, run);
        }
        return md.toString();
    }

    private static void details(StringBuilder md, ModeRun run) {
        md.append("\n## ").append(run.mode()).append(" (open ").append(run.openInterval()).append(" s, closed ")
                .append(run.closedInterval()).append(" s)\n");
        checks(md, run);
        for (GroupRun group : run.groups()) {
            group(md, group);
        }
    }

    private static void group(StringBuilder md, GroupRun group) {
        int n = group.members().size();
        md.append("\n### ").append(group.name()).append(": ").append(group.status()).append(" at +")
                .append(s(AgentLatency.seconds(group.start(), group.closedAt()))).append(" s\n\n");
        md.append("Completion committed ").append(ms(group.lastExportReceived(), group.closedAt()))
                .append(" ms after the last export signal reached hosts-exchange.\n\n");
        md.append("| member | boot | export | populate | waiting for a poll | execs | hosts lines | `hosts` as the "
                + "script got it | deployed input | populate script |\n|---|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (MemberRun m : group.members()) {
            md.append("| ").append(m.key()).append(" | +").append(s(AgentLatency.seconds(group.start(), m.issued())))
                    .append(" | ").append(s(AgentLatency.seconds(m.issued(), m.exportReceived())))
                    .append(" | ").append(s(AgentLatency.seconds(group.closedAt(), m.populateReceived())))
                    .append(" | ").append(s(AgentLatency.seconds(group.closedAt(), m.populateServed())))
                    .append(" | ").append(m.execs())
                    .append(" | ").append(m.hostsLines().size()).append('/').append(n)
                    .append(" | ").append(hostsInput(m.hostsInput(), n))
                    .append(" | ").append(deployedInput(m.hostsDeployedInput()))
                    .append(" | exit ").append(m.populateCode()).append(": ")
                    .append(m.populateStdout().replaceFirst(" from .*", ""))
                    .append(" |\n");
        }
        md.append("\nPolls as hosts-exchange saw them (s since the previous GET; `*` = first poll served the "
                + "populate deployment; `[export]`/`[populate]` = signal received; the first number is s since the "
                + "capability was issued):\n\n```\n");
        for (MemberRun m : group.members()) {
            md.append(m.key()).append(": ").append(timeline(m)).append('\n');
        }
        md.append("```\n");
    }

    private static void checks(StringBuilder md, ModeRun run) {
        List<MemberRun> all = new ArrayList<>();
        run.groups().forEach(g -> all.addAll(g.members()));
        int n = all.size();
        int size = run.groups().get(0).members().size();
        // the boot file is not what os-apply-config renders (one exec), and a changed interval at close is another
        int expected = 1 + (run.openInterval() != run.closedInterval() ? 1 : 0);
        md.append("\nChecks:\n\n- re-exec: os-collect-config replaced its process image (same pid, new stack) ")
                .append(all.stream().map(m -> Integer.toString(m.execs())).collect(Collectors.joining(" ")))
                .append(" times per member; expected ").append(expected).append(" (boot file → rendered file")
                .append(expected > 1 ? ", then " + run.openInterval() + " s → " + run.closedInterval() + " s at close"
                        : "; the populate render leaves the file as it was")
                .append(").\n");
        md.append("- cadence while the group was open (s between the polls after the export run, up to the one serving "
                + "populate): ").append(all.stream().map(m -> m.key() + ": " + runLength(openGaps(m)))
                        .collect(Collectors.joining("; "))).append(".\n");
        long json = all.stream().filter(m -> hostsInput(m.hostsInput(), size).startsWith("JSON object")).count();
        long typed = all.stream().filter(m -> m.hostsDeployedInput() != null
                && m.hostsDeployedInput().path("type").asText().equals("Json")
                && m.hostsDeployedInput().path("value").isObject()).count();
        long installed = all.stream().filter(m -> m.populateCode() == 0 && m.hostsLines().size() == size).count();
        md.append("- aggregate as JSON: ").append(json).append('/').append(n)
                .append(" populate scripts got `hosts` as a JSON object of ").append(size).append(" keys (not a Python "
                        + "repr); ").append(typed).append('/').append(n).append(" deployed configs kept the input `Json` "
                        + "with an object value; ").append(installed).append('/').append(n)
                .append(" ran the repo's populate-hosts.py (json.loads) to exit 0 with all ").append(size)
                .append(" lines in their hosts file.\n");
    }

    /** Gaps between the GETs that followed the export run (from the first poll after it), up to populate. */
    static List<String> openGaps(MemberRun m) {
        List<CapabilityTap.Hit> gets = m.hits().stream().filter(h -> h.kind().equals("poll") && h.method().equals("GET"))
                .sorted(Comparator.comparing(CapabilityTap.Hit::received)).toList();
        List<String> gaps = new ArrayList<>();
        Instant previous = null;
        for (CapabilityTap.Hit get : gets) {
            if (m.exportReceived() != null && get.received().isAfter(m.exportReceived())) {
                if (previous != null && previous.isAfter(m.exportReceived())) {
                    gaps.add(s(AgentLatency.seconds(previous, get.received())));
                }
                if (get.servedPopulate()) {
                    break;
                }
            }
            previous = get.received();
        }
        return gaps;
    }

    /** {@code 1.1 2.1 2.1 2.1} as {@code 1.1 2.1×3}. */
    static String runLength(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size();) {
            int j = i;
            while (j < values.size() && values.get(j).equals(values.get(i))) {
                j++;
            }
            out.append(out.isEmpty() ? "" : " ").append(values.get(i)).append(j - i > 1 ? "×" + (j - i) : "");
            i = j;
        }
        return out.isEmpty() ? "(populate at its first poll)" : out.toString();
    }

    /** GETs as gaps from the previous GET, signals in brackets. */
    static String timeline(MemberRun m) {
        StringBuilder line = new StringBuilder();
        Instant previous = m.issued();
        boolean populateSeen = false;
        List<CapabilityTap.Hit> hits = new ArrayList<>(m.hits());
        hits.sort(Comparator.comparing(CapabilityTap.Hit::received));
        for (CapabilityTap.Hit hit : hits) {
            if (hit.kind().equals("poll")) {
                if (!hit.method().equals("GET")) {
                    continue;
                }
                line.append(line.isEmpty() ? "+" : " ").append(s(AgentLatency.seconds(previous, hit.received())));
                if (hit.servedPopulate() && !populateSeen) {
                    line.append('*');
                    populateSeen = true;
                }
                if (hit.status() != 200) {
                    line.append("(").append(hit.status()).append(")");
                }
                previous = hit.received();
            } else {
                line.append(" [").append(hit.kind()).append(hit.status() == 200 ? "" : " " + hit.status()).append("]");
            }
        }
        return line.toString();
    }

    private static String hostsInput(String raw, int members) {
        if (raw == null) {
            return "—";
        }
        String verdict;
        try {
            JsonNode parsed = Http.JSON.readTree(raw);
            verdict = parsed.isObject() && parsed.size() == members ? "JSON object, " + members + " keys"
                    : "JSON, but " + parsed.getNodeType();
        } catch (Exception e) {
            verdict = raw.startsWith("{'") ? "Python repr (not JSON)" : "not JSON";
        }
        String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return verdict + ": `" + shown.replace("|", "\\|").replace("`", "'") + "`";
    }

    private static String deployedInput(JsonNode input) {
        if (input == null) {
            return "—";
        }
        return "type " + input.path("type").asText() + ", value " + input.path("value").getNodeType().name()
                .toLowerCase(Locale.ROOT);
    }

    private static String lastBoot(Map<String, String> knobs) {
        int last = Integer.parseInt(knobs.get("members")) - 1;
        double stagger = Double.parseDouble(knobs.get("stagger"));
        return s(last * stagger) + "–" + s((last + 1) * stagger);
    }

    private static String ms(Instant from, Instant to) {
        return from == null || to == null ? "—" : Long.toString(Duration.between(from, to).toMillis());
    }

    private static String knobsLine(Map<String, String> knobs) {
        StringBuilder line = new StringBuilder();
        knobs.forEach((k, v) -> {
            if (!v.equals(AgentLatency.DEFAULTS.get(k))) {
                line.append("--").append(k).append('=').append(v).append(' ');
            }
        });
        return line.toString().trim();
    }
}
