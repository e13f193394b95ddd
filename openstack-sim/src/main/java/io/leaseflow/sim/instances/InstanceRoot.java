package io.leaseflow.sim.instances;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An instance's file system, a directory on the simulator's host standing in for {@code /}: {@code etc/hosts} as a
 * fresh image has it, the {@code write_files} of its cloud-config, and a {@code hostname} command that answers with
 * the instance's name and private IP, so that scripts find their identity the way they would on the instance.
 */
final class InstanceRoot {

    static final String ETC_HOSTS = "/etc/hosts";
    private final Path dir;

    InstanceRoot(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path path(String absolute) {
        return dir.resolve(absolute.replaceFirst("^/+", ""));
    }

    Path etcHosts() {
        return path(ETC_HOSTS);
    }

    Path consoleLog() {
        return path("/var/log/cloud-init-output.log");
    }

    Path binDir() {
        return path("/usr/sim/bin");
    }

    /** Lays out the root and returns the boot script to execute, or null when there is none. */
    Path prepare(String hostname, String ip, CloudInit.BootPlan plan) throws IOException {
        Files.createDirectories(dir);
        write(ETC_HOSTS, "127.0.0.1 localhost\n", "0644");
        write(binDir().resolve("hostname"), hostnameCommand(hostname, ip), true);
        Files.createDirectories(path("/var/lib/leaseflow"));
        Files.createDirectories(consoleLog().getParent());
        for (CloudInit.WrittenFile f : plan.files()) {
            write(f.path(), f.content(), f.executable() ? "0755" : "0600");
        }
        if (plan.script() == null) {
            return null;
        }
        List<String> rooted = new ArrayList<>(plan.files().stream().map(CloudInit.WrittenFile::path).toList());
        rooted.add(ETC_HOSTS);
        Path script = path("/var/lib/cloud/instance/scripts/user-script");
        write(script, rootPaths(plan.script(), rooted), true);
        return script;
    }

    /** Absolute paths the boot wrote (and {@code /etc/hosts}) point into this root; one pass, longest first. */
    String rootPaths(String script, List<String> paths) {
        String alternatives = paths.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        return Pattern.compile(alternatives).matcher(script)
                .replaceAll(m -> Matcher.quoteReplacement(path(m.group()).toString()));
    }

    void delete() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory is scratch space
        }
    }

    private void write(String absolute, String content, String permissions) throws IOException {
        write(path(absolute), content, "0755".equals(permissions));
    }

    private static void write(Path file, String content, boolean executable) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static String hostnameCommand(String hostname, String ip) {
        return "#!/bin/sh\n# hostname(1) of the simulated instance " + hostname + "\n"
                + "case \"${1:-}\" in\n"
                + "    -I|--all-ip-addresses) echo \"" + ip + " \" ;;\n"
                + "    -i|--ip-address) echo \"" + ip + "\" ;;\n"
                + "    *) echo \"" + hostname + "\" ;;\n"
                + "esac\n";
    }
}
