package io.leaseflow.exchange.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;

/** Body of {@code POST /v1/groups}. */
public record CreateGroupRequest(
        String name,
        Integer size,
        List<String> outputs,
        @JsonProperty("timeout_s") Integer timeoutSeconds,
        @JsonProperty("on_timeout") String onTimeout,
        Heat heat,
        @JsonProperty("lease_id") String leaseId) {

    /**
     * Optional: the scripts Heat-agent members run (os-collect-config + heat-config hooks). {@code export} writes each
     * output to {@code ${heat_outputs_path}.<output>}; {@code populate} gets each output's aggregate as a
     * {@code Json} input of the same name. Unset phases use the built-in /etc/hosts scripts.
     */
    public record Heat(Phase export, Phase populate) {
    }

    /** {@code group} is the heat-config hook that runs {@code config} (default {@code script}). */
    public record Phase(String group, String config) {
    }

    /** Blazar lease ids are UUIDs; anything id-like is accepted, nothing that could break a log line or a URL. */
    static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final Pattern HOOK = Pattern.compile("[A-Za-z0-9_:-]{1,64}");
    static final int MAX_CONFIG_CHARS = 65_536;

    public static final int MAX_SIZE = 10_000;
    public static final int MAX_TIMEOUT_S = 86_400;
    public static final int DEFAULT_TIMEOUT_S = 3_600;
    static final int MAX_OUTPUTS = 64;
    public static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** The validated group settings, or a 422 problem listing every violation. */
    ValidGroup validate() {
        List<String> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 255 || name.indexOf('\0') >= 0) {
            errors.add("name: required, 1 to 255 characters, no NUL");
        }
        if (size == null || size < 1 || size > MAX_SIZE) {
            errors.add("size: required, 1 to " + MAX_SIZE);
        }
        if (outputs == null || outputs.isEmpty() || outputs.size() > MAX_OUTPUTS) {
            errors.add("outputs: required, 1 to " + MAX_OUTPUTS + " names");
        } else {
            for (String output : outputs) {
                if (output == null || !OUTPUT_NAME.matcher(output).matches()) {
                    errors.add("outputs: '" + output + "' does not match " + OUTPUT_NAME.pattern());
                }
            }
            if (new HashSet<>(outputs).size() != outputs.size()) {
                errors.add("outputs: names must be unique");
            }
        }
        int timeout = timeoutSeconds == null ? DEFAULT_TIMEOUT_S : timeoutSeconds;
        if (timeout < 1 || timeout > MAX_TIMEOUT_S) {
            errors.add("timeout_s: 1 to " + MAX_TIMEOUT_S);
        }
        var policy = onTimeout == null ? Optional.of(OnTimeout.FAIL) : OnTimeout.fromWire(onTimeout);
        if (policy.isEmpty()) {
            errors.add("on_timeout: 'fail' or 'partial'");
        }
        if (leaseId != null && !LEASE_ID.matcher(leaseId).matches()) {
            errors.add("lease_id: must match " + LEASE_ID.pattern());
        }
        Phase export = heat == null ? null : heat.export();
        Phase populate = heat == null ? null : heat.populate();
        checkPhase("heat.export", export, errors);
        checkPhase("heat.populate", populate, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "The group definition is invalid.", errors,
                    Map.of());
        }
        return new ValidGroup(name, size, List.copyOf(outputs), timeout, policy.get(), export, populate, leaseId);
    }

    private static void checkPhase(String field, Phase phase, List<String> errors) {
        if (phase == null) {
            return;
        }
        if (phase.group() != null && !HOOK.matcher(phase.group()).matches()) {
            errors.add(field + ".group: must match " + HOOK.pattern());
        }
        if (phase.config() == null || phase.config().isEmpty() || phase.config().length() > MAX_CONFIG_CHARS
                || phase.config().indexOf('\0') >= 0) {
            errors.add(field + ".config: required, at most " + MAX_CONFIG_CHARS + " characters, no NUL");
        }
    }

    record ValidGroup(String name, int size, List<String> outputs, int timeoutSeconds, OnTimeout onTimeout,
            Phase heatExport, Phase heatPopulate, String leaseId) {
    }
}
