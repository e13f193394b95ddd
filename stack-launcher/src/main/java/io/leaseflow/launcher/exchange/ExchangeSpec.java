package io.leaseflow.launcher.exchange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.problem.ProblemException;

/**
 * The hosts-exchange group a plan gets at launch, checked at initialize with hosts-exchange's own limits so that a
 * group it would refuse is a 422 before anything is created. A template opts in by declaring both
 * {@value #URL_PARAMETER} and {@value #TOKEN_PARAMETER}; the size comes from the request's {@code exchange.size}, else
 * from the template's {@value #SIZE_PARAMETER} parameter.
 */
public record ExchangeSpec(int size, List<String> outputs, int timeoutSeconds, String onTimeout) {
    public static final String URL_PARAMETER = "exchange_url";
    public static final String TOKEN_PARAMETER = "exchange_token";
    public static final String SIZE_PARAMETER = "exchange_size";
    static final List<String> DEFAULT_OUTPUTS = List.of("hosts");
    static final int DEFAULT_TIMEOUT_S = 1800;
    static final String DEFAULT_ON_TIMEOUT = "partial";
    // hosts-exchange's CreateGroupRequest limits
    static final int MAX_SIZE = 10_000;
    static final int MAX_TIMEOUT_S = 86_400;
    static final int MAX_OUTPUTS = 64;
    static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** The request's optional {@code exchange} field. */
    public record Request(Integer size, List<String> outputs, @JsonProperty("timeout_s") Integer timeoutSeconds,
            @JsonProperty("on_timeout") String onTimeout) {
    }

    /** True when the template's declared parameters opt in to a group at launch. */
    public static boolean declaredIn(JsonNode declaredParameters) {
        return declaredParameters.has(URL_PARAMETER) && declaredParameters.has(TOKEN_PARAMETER);
    }

    /**
     * The spec of a template that declares the exchange parameters, or a 422. {@code templateSize} is the value of
     * {@value #SIZE_PARAMETER} (given or default; missing node when neither).
     */
    public static ExchangeSpec of(Request request, JsonNode templateSize) {
        Integer size = request == null ? null : request.size();
        List<String> errors = new ArrayList<>();
        if (size == null) {
            size = sizeParameter(templateSize, errors);
            if (size == null && errors.isEmpty()) {
                throw new ProblemException(422, "exchange-size-missing", "hosts-exchange group size unknown",
                        "the template declares " + URL_PARAMETER + " and " + TOKEN_PARAMETER
                                + ", so leaseflow creates a hosts-exchange group at launch and must know how many "
                                + "instances join it: give \"exchange\": {\"size\": N} in the request, or declare the "
                                + "parameter " + SIZE_PARAMETER + " in the template (with a default, or a value in "
                                + "parameters)");
            }
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            errors.add("exchange.size: 1 to " + MAX_SIZE + " (got " + size + ")");
        }
        List<String> outputs = request == null || request.outputs() == null ? DEFAULT_OUTPUTS : request.outputs();
        if (outputs.isEmpty() || outputs.size() > MAX_OUTPUTS) {
            errors.add("exchange.outputs: 1 to " + MAX_OUTPUTS + " names");
        }
        for (String output : outputs) {
            if (output == null || !OUTPUT_NAME.matcher(output).matches()) {
                errors.add("exchange.outputs: '" + output + "' does not match " + OUTPUT_NAME.pattern());
            }
        }
        if (new HashSet<>(outputs).size() != outputs.size()) {
            errors.add("exchange.outputs: names must be unique");
        }
        int timeout = request == null || request.timeoutSeconds() == null ? DEFAULT_TIMEOUT_S
                : request.timeoutSeconds();
        if (timeout < 1 || timeout > MAX_TIMEOUT_S) {
            errors.add("exchange.timeout_s: 1 to " + MAX_TIMEOUT_S);
        }
        String onTimeout = request == null || request.onTimeout() == null ? DEFAULT_ON_TIMEOUT : request.onTimeout();
        if (!onTimeout.equals("fail") && !onTimeout.equals("partial")) {
            errors.add("exchange.on_timeout: 'fail' or 'partial'");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(422, "exchange-invalid", "hosts-exchange group invalid",
                    String.join("; ", errors));
        }
        return new ExchangeSpec(size, List.copyOf(outputs), timeout, onTimeout);
    }

    /** The 422 for an {@code exchange} field on a template that does not opt in. */
    public static ProblemException undeclared() {
        return new ProblemException(422, "exchange-parameters-undeclared", "Exchange parameters not declared",
                "the request asks for a hosts-exchange group (\"exchange\") but the template does not declare both "
                        + URL_PARAMETER + " and " + TOKEN_PARAMETER + ": its instances could not be told where to "
                        + "meet. Declare both parameters, or drop the exchange field.");
    }

    public void applyTo(LaunchPlan plan) {
        plan.exchangeSize = size;
        plan.exchangeOutputs = String.join(",", outputs);
        plan.exchangeTimeoutSeconds = timeoutSeconds;
        plan.exchangeOnTimeout = onTimeout;
    }

    /** The plan's spec; only for a plan that {@link LaunchPlan#hasExchange() has} one. */
    public static ExchangeSpec of(LaunchPlan plan) {
        return new ExchangeSpec(plan.exchangeSize, Arrays.asList(plan.exchangeOutputs.split(",")),
                plan.exchangeTimeoutSeconds, plan.exchangeOnTimeout);
    }

    private static Integer sizeParameter(JsonNode value, List<String> errors) {
        if (value == null || value.isMissingNode() || value.isNull()
                || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        try {
            return Integer.valueOf(value.asText().trim());
        } catch (NumberFormatException e) {
            errors.add(SIZE_PARAMETER + ": not a whole number: '" + value.asText() + "'");
            return null;
        }
    }
}
