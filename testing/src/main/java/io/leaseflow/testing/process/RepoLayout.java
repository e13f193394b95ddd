package io.leaseflow.testing.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's built artifacts from wherever the demo or a test runs. */
public final class RepoLayout {
    private RepoLayout() {
    }

    public static Path root() {
        String configured = System.getenv("LEASEFLOW_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("openstack-sim")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("run from inside the leaseflow checkout or set LEASEFLOW_HOME");
    }

    public static Path quarkusJar(String module) {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw package -DskipTests)");
        }
        return jar;
    }
}
