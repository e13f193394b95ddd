package io.leaseflow.sim.keystone;

/** An error answered in keystone's (and keystonemiddleware's) {@code {"error": {...}}} shape. */
public class KeystoneError extends RuntimeException {

    public static final String UNAUTHORIZED_MESSAGE = "The request you have made requires authentication.";

    private final int status;
    private final String title;

    public KeystoneError(int status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
    }

    public static KeystoneError unauthorized() {
        return new KeystoneError(401, "Unauthorized", UNAUTHORIZED_MESSAGE);
    }

    public static KeystoneError notFound(String message) {
        return new KeystoneError(404, "Not Found", message);
    }

    public static KeystoneError forbidden(String message) {
        return new KeystoneError(403, "Forbidden", message);
    }

    public static KeystoneError badRequest(String message) {
        return new KeystoneError(400, "Bad Request", message);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
