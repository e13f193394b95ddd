package io.leaseflow.sim.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** The last OpenStack calls received, for tests to assert on (bounded so a benchmark cannot exhaust memory). */
@ApplicationScoped
public class RequestLog {

    private static final int LIMIT = 10_000;

    private final ConcurrentLinkedDeque<RecordedRequest> requests = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    public void add(RecordedRequest request) {
        requests.addLast(request);
        if (size.incrementAndGet() > LIMIT && requests.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    public List<RecordedRequest> find(String service, String method) {
        return requests.stream()
                .filter(r -> service == null || service.equalsIgnoreCase(r.service))
                .filter(r -> method == null || method.equalsIgnoreCase(r.method))
                .toList();
    }

    public void clear() {
        requests.clear();
        size.set(0);
    }
}
