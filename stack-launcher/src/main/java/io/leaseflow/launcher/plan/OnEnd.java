package io.leaseflow.launcher.plan;

import java.util.Arrays;
import java.util.Optional;

/** What happens to the launched stack when its lease ends; nothing by default. */
public enum OnEnd {
    NONE("none"), DELETE("delete"), DELETE_ON_ENDING("delete_on_ending");

    private final String json;

    OnEnd(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Optional<OnEnd> fromJson(String value) {
        return Arrays.stream(values()).filter(v -> v.json.equals(value)).findFirst();
    }
}
