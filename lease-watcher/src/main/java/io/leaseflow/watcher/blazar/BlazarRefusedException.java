package io.leaseflow.watcher.blazar;

import jakarta.ws.rs.WebApplicationException;

/** Blazar answered 4xx: asking again will not help. */
public class BlazarRefusedException extends RuntimeException {
    private final int status;

    public BlazarRefusedException(int status) {
        super("Blazar answered " + status);
        this.status = status;
    }

    static BlazarRefusedException from(Throwable failure) {
        return new BlazarRefusedException(((WebApplicationException) failure).getResponse().getStatus());
    }

    public int status() {
        return status;
    }
}
