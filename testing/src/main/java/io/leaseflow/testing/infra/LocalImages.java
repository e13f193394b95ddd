package io.leaseflow.testing.infra;

import org.testcontainers.utility.DockerImageName;

/**
 * Image names for the Testcontainers path. With {@code LEASEFLOW_TEST_LOCAL_IMAGES=true} the stock modules run
 * the images that {@code docker/build-images.sh} builds from Debian packages and Maven Central jars, for machines
 * that reach no image registry.
 */
public final class LocalImages {
    public static final String SWITCH = "LEASEFLOW_TEST_LOCAL_IMAGES";

    private LocalImages() {
    }

    public static DockerImageName kafka() {
        return pick("apache/kafka:4.1.2", "leaseflow/kafka:4.1.2", "apache/kafka");
    }

    public static DockerImageName postgres() {
        return pick("postgres:15-alpine", "leaseflow/postgres:15", "postgres");
    }

    public static DockerImageName rabbitmq() {
        return pick("rabbitmq:3-management", "leaseflow/rabbitmq:3", "rabbitmq");
    }

    public static boolean enabled() {
        return Boolean.parseBoolean(InfraPath.setting(SWITCH, "false"));
    }

    private static DockerImageName pick(String stock, String local, String substituteFor) {
        return enabled()
                ? DockerImageName.parse(local).asCompatibleSubstituteFor(substituteFor)
                : DockerImageName.parse(stock);
    }
}
