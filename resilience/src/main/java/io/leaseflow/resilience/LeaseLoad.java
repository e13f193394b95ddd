package io.leaseflow.resilience;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.testing.openstack.KeystoneRequests;

/**
 * The lease side of the suite: INIT_COMPLETE stacks in the simulated Heat, one Blazar lease each, bound in
 * stack-launcher; then the leases' start dates spread over the chaos window, so that the simulated Blazar starts
 * them and notifies; afterwards every stack's PATCHes counted from the simulator's request log.
 */
final class LeaseLoad {
    private static final DateTimeFormatter BLAZAR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final Http http = new Http();
    private final String sim;
    private final String launcher;
    private final Map<String, String> asUser;
    private final String heat;
    private final String blazar;
    private final AtomicInteger serial = new AtomicInteger();

    record Lease(String leaseId, String reservationId, String stackName, String stackId) {
    }

    /** Per stack: Heat PATCHes it accepted (202) and the reservation ids it was given. */
    record Launches(Map<String, Integer> accepted, Map<String, List<String>> reservationIds, int refused) {
    }

    LeaseLoad(String sim, String launcher) throws IOException {
        this.sim = sim;
        this.launcher = launcher;
        Http.Reply auth = http.send("POST", sim + "/identity/v3/auth/tokens",
                KeystoneRequests.passwordAuth("demo", "secret", "demo"), Map.of()).expect(201);
        asUser = Map.of("X-Auth-Token", auth.header("X-Subject-Token"));
        heat = KeystoneRequests.publicEndpoint(auth.body(), "orchestration");
        blazar = KeystoneRequests.publicEndpoint(auth.body(), "reservation");
    }

    /** Stacks, leases (starting in 30 days for now) and bindings, {@code threads} at a time. */
    List<Lease> prepare(int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Lease>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(this::prepareOne));
            }
            List<Lease> leases = new ArrayList<>();
            for (Future<Lease> f : futures) {
                leases.add(f.get());
            }
            return leases;
        } finally {
            pool.shutdownNow();
        }
    }

    private Lease prepareOne() throws IOException {
        String name = "chaos-" + serial.incrementAndGet();
        JsonNode stack = http.send("POST", heat + "/stacks", Map.of("stack_name", name, "initialize", true,
                "template", template(), "parameters", Map.of()), asUser).expect(201).body();
        Instant start = Instant.now().plus(30, ChronoUnit.DAYS);
        JsonNode lease = http.send("POST", blazar + "/leases", Map.of("name", name, "start_date", date(start),
                "end_date", date(start.plus(2, ChronoUnit.HOURS)),
                "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1,
                        "hypervisor_properties", "", "resource_properties", "")),
                "events", List.of()), asUser).expect(201).body().path("lease");
        String leaseId = lease.path("id").asText();
        http.send("POST", launcher + "/v1/bindings", Map.of("lease_id", leaseId,
                "heat_stack_id", stack.at("/stack/id").asText()), asUser).expect(201);
        return new Lease(leaseId, lease.at("/reservations/0/id").asText(), name, stack.at("/stack/id").asText());
    }

    /**
     * Moves lease i's start to {@code first + i * window / n} (Blazar's {@code PUT /v1/leases/{id}}), in start
     * order; Blazar's clock then starts each and sends its notification. Returns when all are rescheduled.
     */
    void scheduleStarts(List<Lease> leases, Instant first, Duration window) throws IOException {
        for (int i = 0; i < leases.size(); i++) {
            Instant start = first.plusMillis(window.toMillis() * i / Math.max(1, leases.size()));
            Lease lease = leases.get(i);
            http.send("PUT", blazar + "/leases/" + lease.leaseId(), Map.of("start_date", date(start),
                    "end_date", date(start.plus(2, ChronoUnit.HOURS))), asUser).expect(200);
        }
    }

    /** Every PATCH the simulated Heat received, per stack. */
    Launches launches() throws IOException {
        JsonNode calls = http.send("GET", sim + "/sim/requests?service=heat&method=PATCH", null, Map.of(),
                Duration.ofSeconds(60)).expect(200).body();
        Map<String, Integer> accepted = new HashMap<>();
        Map<String, List<String>> reservations = new HashMap<>();
        int refused = 0;
        for (JsonNode call : calls) {
            String path = call.path("path").asText();
            String stackId = path.substring(path.lastIndexOf('/') + 1);
            if (call.path("status").asInt() == 202) {
                accepted.merge(stackId, 1, Integer::sum);
                String reservation = call.at("/body/parameters/reservation_id").asText(null);
                reservations.computeIfAbsent(stackId, k -> new ArrayList<>()).add(reservation);
            } else {
                refused++;
            }
        }
        return new Launches(accepted, reservations, refused);
    }

    private static Map<String, Object> template() {
        return Map.of(
                "heat_template_version", "2018-08-31",
                "parameters", Map.of("reservation_id", Map.of("type", "string", "default", "",
                        "description", "Blazar reservation to launch into")),
                "resources", Map.of("node", Map.of("type", "OS::Nova::Server", "properties", Map.of(
                        "image", "CC-Ubuntu22.04", "flavor", "baremetal",
                        "scheduler_hints", Map.of("reservation", Map.of("get_param", "reservation_id"))))),
                "outputs", Map.of());
    }

    private static String date(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR_DATE);
    }
}
