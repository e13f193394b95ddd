package io.leaseflow.testing.infra;

import org.testcontainers.utility.DockerImageName;

/**
 * Image names for the Testcontainers path. The images that {@code docker/build-images.sh} builds from Debian packages
 * and Maven Central jars stand in for the registry's (through {@code asCompatibleSubstituteFor}) when
 * {@code LEASEFLOW_TEST_LOCAL_IMAGES=true}, or, when that is unset, whenever the engine already has them.
 */
public final class LocalImages {
    public static final String SWITCH = "LEASEFLOW_TEST_LOCAL_IMAGES";

    /** A stock image and the local stand-in for it. */
    public enum Image {
        KAFKA("apache/kafka:4.1.2", "leaseflow/kafka:4.1.2", "apache/kafka"),
        POSTGRES("postgres:15-alpine", "leaseflow/postgres:15", "postgres"),
        RABBITMQ("rabbitmq:3-management", "leaseflow/rabbitmq:3", "rabbitmq");

        private final String stock;
        private final String local;
        private final String substituteFor;

        Image(String stock, String local, String substituteFor) {
            this.stock = stock;
            this.local = local;
            this.substituteFor = substituteFor;
        }

        public DockerImageName imageName() {
            return useLocal(this) ? DockerImageName.parse(local).asCompatibleSubstituteFor(substituteFor)
                    : DockerImageName.parse(stock);
        }

        /** True if starting the image needs no registry. */
        boolean presentInEngine() {
            return DockerEngine.hasImage(imageName().asCanonicalNameString());
        }
    }

    private LocalImages() {
    }

    private static boolean useLocal(Image image) {
        String setting = InfraPath.setting(SWITCH, "");
        if (!setting.isBlank()) {
            return Boolean.parseBoolean(setting);
        }
        return DockerEngine.hasImage(image.local);
    }
}
