package io.leaseflow.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.testing.openstack.KeystoneRequests;

/**
 * The walking skeleton as a user lives it: prepare a stack in Heat before the lease exists (INIT_COMPLETE), reserve
 * a host in Blazar, bind the two in leaseflow, and watch Blazar's start notification launch the stack with the
 * reservation's id.
 */
public final class LaunchStory {
    private static final DateTimeFormatter BLAZAR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final JsonHttp http = new JsonHttp();
    private final LeaseflowStack stack;
    private final Consumer<String> narrate;

    /** What happened, for the demo to print and the end-to-end test to assert. */
    public record Outcome(String leaseId, String reservationId, String stackId, String stackStatus,
            String reservationParameterOnStack, String planStatus, int heatPatches, Duration startToComplete) {
    }

    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate) {
        this.stack = stack;
        this.narrate = narrate;
    }

    public Outcome run(Duration leaseStartsIn, Duration timeout) {
        return run(leaseStartsIn, timeout, false);
    }

    /**
     * As {@link #run(Duration, Duration)}; with {@code loseStartNotification} the simulated Blazar drops the lease's
     * notifications (as its notifier does after a refused exchange declare), so that only leaseflow's watchdog or
     * reconciler can find the start.
     */
    public Outcome run(Duration leaseStartsIn, Duration timeout, boolean loseStartNotification) {
        String sim = stack.sim().baseUrl();
        JsonHttp.Reply auth = http.post(sim + "/identity/v3/auth/tokens", KeystoneRequests.passwordAuth("demo", "secret", "demo"),
                Map.of()).expect(201);
        String token = auth.header("X-Subject-Token");
        String heat = KeystoneRequests.publicEndpoint(auth.body(), "orchestration");
        String blazar = KeystoneRequests.publicEndpoint(auth.body(), "reservation");
        Map<String, String> asUser = Map.of("X-Auth-Token", token);
        narrate.accept("Keystone: user 'demo' authenticated in project " + auth.body().at("/token/project/id").asText());

        String stackName = loseStartNotification ? "demo-cluster-lost-start" : "demo-cluster";
        JsonNode created = http.post(heat + "/stacks", Map.of(
                "stack_name", stackName,
                "initialize", true,
                "template", template(),
                "parameters", Map.of()), asUser).expect(201).body();
        String stackId = created.at("/stack/id").asText();
        JsonNode shown = http.get(heat + "/stacks/" + stackName + "/" + stackId, asUser).expect(200).body();
        narrate.accept("Heat: stack " + stackName + " " + stackId + " is " + shown.at("/stack/stack_status").asText()
                + " (nothing allocated yet)");

        Instant start = Instant.now().plus(leaseStartsIn);
        JsonNode lease = http.post(blazar + "/leases", Map.of(
                "name", loseStartNotification ? "demo-lease-lost-start" : "demo-lease",
                "start_date", blazarDate(start),
                "end_date", blazarDate(start.plus(Duration.ofHours(1))),
                "reservations", List.of(Map.of(
                        "resource_type", "physical:host", "min", 1, "max", 1,
                        "hypervisor_properties", "", "resource_properties", "",
                        "on_start", "orchestration:" + stackId)),
                "events", List.of()), asUser).expect(201).body().path("lease");
        String leaseId = lease.path("id").asText();
        String reservationId = lease.path("reservations").get(0).path("id").asText();
        narrate.accept("Blazar: lease " + leaseId + " reserves a host (reservation " + reservationId + "), starts "
                + blazarDate(start) + " UTC");
        if (loseStartNotification) {
            http.post(sim + "/sim/leases/" + leaseId + "/drop-notifications", null, Map.of()).expect(204);
            narrate.accept("Blazar: this lease's notifications will be lost before they reach RabbitMQ");
        }

        JsonNode plan = http.post(stack.launcher().baseUrl() + "/v1/bindings",
                Map.of("lease_id", leaseId, "heat_stack_id", stackId), asUser).expect(201).body();
        narrate.accept("leaseflow: stack bound to the lease as plan " + plan.path("id").asText() + " ("
                + plan.path("stack_status").asText() + "); a Keystone trust lets leaseflow act for 'demo'");

        JsonNode finished = awaitPlanSettled(plan.path("id").asText(), asUser, timeout);
        Duration startToComplete = Duration.between(start, Instant.now());
        JsonNode finalStack = http.get(heat + "/stacks/" + stackName + "/" + stackId, asUser).expect(200).body()
                .path("stack");
        int patches = heatPatches(stackId);
        Outcome outcome = new Outcome(leaseId, reservationId, stackId, finalStack.path("stack_status").asText(),
                finalStack.path("parameters").path("reservation_id").asText(null),
                finished.path("stack_status").asText(), patches, startToComplete);
        narrate.accept("Heat: stack " + stackId + " is " + outcome.stackStatus() + " with reservation_id="
                + outcome.reservationParameterOnStack() + " (plan " + outcome.planStatus() + ", " + patches
                + " PATCH to Heat, " + startToComplete.toMillis() + " ms after the lease's start time)");
        return outcome;
    }

    /** Asks the simulator to deliver the lease's start notification once more, as a redelivering broker would. */
    public void redeliverStart(String leaseId) {
        http.post(stack.sim().baseUrl() + "/sim/leases/" + leaseId + "/notify/lease.event.start_lease", null, Map.of())
                .expect(200, 202, 204);
    }

    public int heatPatches() {
        return http.get(stack.sim().baseUrl() + "/sim/requests?service=heat&method=PATCH", Map.of()).expect(200)
                .body().size();
    }

    /** Heat PATCHes of this one stack, from the simulator's request log. */
    public int heatPatches(String stackId) {
        int n = 0;
        for (JsonNode r : http.get(stack.sim().baseUrl() + "/sim/requests?service=heat&method=PATCH", Map.of())
                .expect(200).body()) {
            if (r.path("path").asText().contains(stackId)) {
                n++;
            }
        }
        return n;
    }

    private JsonNode awaitPlanSettled(String planId, Map<String, String> asUser, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            // Plans are visible only to their own project: the user's token goes along.
            JsonNode plan = http.get(stack.launcher().baseUrl() + "/v1/plans/" + planId, asUser).expect(200).body();
            String status = plan.path("stack_status").asText();
            if (!status.equals(last)) {
                narrate.accept("leaseflow: plan " + planId + " is " + status
                        + (plan.hasNonNull("status_reason") ? " (" + plan.path("status_reason").asText() + ")" : ""));
                last = status;
            }
            if (status.equals("COMPLETE") || status.equals("FAILED")) {
                return plan;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("plan " + planId + " still " + last + " after " + timeout);
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

    private static String blazarDate(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR_DATE);
    }
}
