package io.leaseflow.testing.infra;

import org.testcontainers.DockerClientFactory;

/** Asks Testcontainers once per JVM whether a Docker engine answers. */
final class DockerEngine {
    private static volatile Boolean answers;

    private DockerEngine() {
    }

    static boolean answers() {
        Boolean known = answers;
        if (known == null) {
            synchronized (DockerEngine.class) {
                known = answers;
                if (known == null) {
                    known = probe();
                    answers = known;
                }
            }
        }
        return known;
    }

    /** True if the engine has this image already, so that starting it needs no registry. */
    static boolean hasImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static boolean probe() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
