package io.leaseflow.watcher.problem;

import jakarta.ws.rs.WebApplicationException;

/** Ends a request with a problem-details response. */
public class ProblemException extends WebApplicationException {
    public ProblemException(int status, String slug, String title, String detail) {
        super(detail, Problem.response(status, slug, title, detail));
    }
}
