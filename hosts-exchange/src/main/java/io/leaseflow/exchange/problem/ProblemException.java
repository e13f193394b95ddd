package io.leaseflow.exchange.problem;

import java.util.List;
import java.util.Map;

/** Thrown anywhere on a request path to answer with problem details of a given type. */
public class ProblemException extends RuntimeException {

    private final ProblemType problemType;
    private final List<String> errors;
    private final Map<String, String> headers;

    public ProblemException(ProblemType problemType, String detail) {
        this(problemType, detail, List.of(), Map.of());
    }

    public ProblemException(ProblemType problemType, String detail, List<String> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.problemType = problemType;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public ProblemType problemType() {
        return problemType;
    }

    public List<String> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
