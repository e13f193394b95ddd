package io.leaseflow.launcher.heat;

/** Heat (or Keystone on Heat's behalf) refused a call; {@code permanent} when retrying cannot help. */
public class HeatCallException extends RuntimeException {
    private final int status;
    private final boolean permanent;

    public HeatCallException(int status, String message, boolean permanent) {
        super(message);
        this.status = status;
        this.permanent = permanent;
    }

    public int status() {
        return status;
    }

    public boolean permanent() {
        return permanent;
    }

    /** 409 (action in progress) and 5xx may pass; other 4xx will not. */
    public static boolean isPermanent(int status) {
        return status >= 400 && status < 500 && status != 409 && status != 408 && status != 429;
    }
}
