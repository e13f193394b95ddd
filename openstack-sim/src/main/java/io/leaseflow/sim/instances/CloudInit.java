package io.leaseflow.sim.instances;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What cloud-init does with a server's {@code user_data}, reduced to what the simulator runs: a script
 * ({@code #!...}) is executed as is; a {@code #cloud-config} has its {@code write_files} written and its
 * {@code runcmd} turned into one {@code /bin/sh} script (list entries quoted, string entries verbatim), as
 * cloud-init's runcmd module does. Other modules are ignored.
 */
final class CloudInit {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** A {@code write_files} entry; {@code permissions} as cloud-init reads them, e.g. {@code '0755'}. */
    record WrittenFile(String path, String content, String permissions) {
        boolean executable() {
            return permissions != null && permissions.matches("0?[0-7]*[1357][0-7]{2}");
        }
    }

    /** Files to write, then {@code script} to run; no script: the instance boots and runs nothing. */
    record BootPlan(List<WrittenFile> files, String script) {
    }

    private CloudInit() {
    }

    static BootPlan plan(String userData) {
        String data = userData == null ? "" : userData.strip();
        if (data.isEmpty()) {
            return new BootPlan(List.of(), null);
        }
        if (data.startsWith("#!")) {
            return new BootPlan(List.of(), data + "\n");
        }
        if (!data.startsWith("#cloud-config")) {
            throw new IllegalArgumentException("user_data is neither a script (#!) nor #cloud-config");
        }
        if (data.lines().skip(1).allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return new BootPlan(List.of(), null);
        }
        Map<?, ?> config;
        try {
            config = YAML.readValue(data, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("user_data is not valid #cloud-config YAML: " + e.getOriginalMessage());
        }
        if (config == null) {
            return new BootPlan(List.of(), null);
        }
        List<WrittenFile> files = new ArrayList<>();
        if (config.get("write_files") instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> f && f.get("path") != null) {
                    files.add(new WrittenFile(String.valueOf(f.get("path")),
                            f.get("content") == null ? "" : String.valueOf(f.get("content")),
                            f.get("permissions") == null ? null : String.valueOf(f.get("permissions"))));
                }
            }
        }
        String script = null;
        if (config.get("runcmd") instanceof List<?> commands && !commands.isEmpty()) {
            StringBuilder sh = new StringBuilder("#!/bin/sh\n");
            for (Object command : commands) {
                sh.append(command instanceof List<?> argv
                        ? argv.stream().map(a -> quote(String.valueOf(a))).collect(Collectors.joining(" "))
                        : String.valueOf(command)).append('\n');
            }
            script = sh.toString();
        }
        return new BootPlan(files, script);
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
