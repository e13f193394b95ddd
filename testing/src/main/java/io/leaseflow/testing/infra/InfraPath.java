package io.leaseflow.testing.infra;

import java.util.Locale;

/**
 * Where a piece of test infrastructure comes from, picked in this order: an instance named by environment
 * variables, Testcontainers when a Docker engine answers, otherwise embedded in this JVM.
 */
public enum InfraPath {
    ENVIRONMENT, TESTCONTAINERS, EMBEDDED;

    /** {@code LEASEFLOW_TEST_INFRA}: {@code auto} (default), {@code docker} or {@code embedded}. */
    public static final String MODE_VARIABLE = "LEASEFLOW_TEST_INFRA";

    /**
     * In {@code auto} mode Testcontainers is chosen only if the engine already has the image (stock or local):
     * where no registry is reachable a pull would hang for minutes, while the embedded path works at once.
     */
    public static InfraPath choose(String externalVariable, LocalImages.Image image) {
        if (present(setting(externalVariable, null))) {
            return ENVIRONMENT;
        }
        String mode = setting(MODE_VARIABLE, "auto").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "docker", "testcontainers" -> TESTCONTAINERS;
            case "embedded" -> EMBEDDED;
            case "auto" -> DockerEngine.answers() && image.presentInEngine() ? TESTCONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    MODE_VARIABLE + " must be auto, docker or embedded, not '" + mode + "'");
        };
    }

    /** Reads a setting from the environment, then from a system property of the same name. */
    public static String setting(String name, String fallback) {
        String value = System.getenv(name);
        if (!present(value)) {
            value = System.getProperty(name);
        }
        return present(value) ? value : fallback;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
