package io.leaseflow.sim.instances;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** user_data as cloud-init reads it, and the instance root it lands in. */
class CloudInitTest {

    @Test
    void runcmdListsAreQuotedAndStringsRunVerbatimAfterWriteFiles() {
        CloudInit.BootPlan plan = CloudInit.plan("""
                #cloud-config
                write_files:
                  - path: /etc/app.env
                    permissions: '0600'
                    content: |
                      A=1
                  - path: /usr/local/bin/run.sh
                    permissions: '0755'
                    content: "#!/bin/sh\\necho ok\\n"
                runcmd:
                  - [sh, -c, "echo 'hi'"]
                  - echo $HOME > /tmp/x
                """);
        assertEquals(List.of("/etc/app.env", "/usr/local/bin/run.sh"),
                plan.files().stream().map(CloudInit.WrittenFile::path).toList());
        assertFalse(plan.files().get(0).executable());
        assertTrue(plan.files().get(1).executable());
        assertEquals("#!/bin/sh\n'sh' '-c' 'echo '\\''hi'\\'''\necho $HOME > /tmp/x\n", plan.script());
    }

    @Test
    void emptyUserDataRunsNothingAndUnknownFormatsAreRefused() {
        assertNull(CloudInit.plan("").script());
        assertNull(CloudInit.plan("#cloud-config\n").script());
        assertEquals("#!/bin/bash\necho hi\n", CloudInit.plan("#!/bin/bash\necho hi").script());
        assertThrows(IllegalArgumentException.class, () -> CloudInit.plan("Content-Type: multipart/mixed"));
    }

    @Test
    void writtenPathsAndEtcHostsPointIntoTheRootExactlyOnce(@TempDir Path dir) throws Exception {
        InstanceRoot root = new InstanceRoot(dir.resolve("node-0"));
        Path script = root.prepare("node-0", "10.20.0.10", new CloudInit.BootPlan(
                List.of(new CloudInit.WrittenFile("/etc/hosts.d/extra", "x", null)),
                "#!/bin/sh\ncat /etc/hosts.d/extra >> /etc/hosts\n"));
        String rooted = Files.readString(script);
        assertEquals("#!/bin/sh\ncat " + dir.resolve("node-0/etc/hosts.d/extra") + " >> "
                + dir.resolve("node-0/etc/hosts") + "\n", rooted);
        assertEquals("127.0.0.1 localhost\n", Files.readString(root.etcHosts()));
        Process hostname = new ProcessBuilder(root.binDir().resolve("hostname").toString(), "-I").start();
        assertEquals("10.20.0.10", new String(hostname.getInputStream().readAllBytes()).strip());
        assertEquals(0, hostname.waitFor());
    }
}
