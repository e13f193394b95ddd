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
    private final String stackName;
    private final String leaseName;

    /** What happened, for the demo to print and the end-to-end test to assert. */
    public record Outcome(String leaseId, String reservationId, String stackId, String stackStatus,
            String reservationParameterOnStack, String planStatus, int heatPatches, Duration startToComplete,
            JsonNode timeline) {
    }

    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate) {
        this(stack, narrate, "demo");
    }

    /**
     * With its own names ({@code <name>-cluster}, {@code <name>-lease}): Heat and Blazar names are unique per project,
     * so each story run on one cloud needs its own.
     */
    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate, String name) {
        this.stack = stack;
        this.narrate = narrate;
        this.stackName = name + "-cluster";
        this.leaseName = name + "-lease";
    }

    public Outcome run(Duration leaseStartsIn, Duration timeout) {
        String sim = stack.sim().baseUrl();
        JsonHttp.Reply auth = http.post(sim + "/identity/v3/auth/tokens", KeystoneRequests.passwordAuth("demo", "secret", "demo"),
                Map.of()).expect(201);
        String token = auth.header("X-Subject-Token");
        String heat = KeystoneRequests.publicEndpoint(auth.body(), "orchestration");
        String blazar = KeystoneRequests.publicEndpoint(auth.body(), "reservation");
        Map<String, String> asUser = Map.of("X-Auth-Token", token);
        narrate.accept("Keystone: user 'demo' authenticated in project " + auth.body().at("/token/project/id").asText());

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
                "name", leaseName,
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

        JsonNode plan = http.post(stack.launcher().baseUrl() + "/v1/bindings",
                Map.of("lease_id", leaseId, "heat_stack_id", stackId), asUser).expect(201).body();
        narrate.accept("leaseflow: stack bound to the lease as plan " + plan.path("id").asText() + " ("
                + plan.path("stack_status").asText() + "); a Keystone trust lets leaseflow act for 'demo'");

        JsonNode finished = awaitPlanSettled(plan.path("id").asText(), asUser, timeout);
        Duration startToComplete = Duration.between(start, Instant.now());
        JsonNode finalStack = http.get(heat + "/stacks/" + stackName + "/" + stackId, asUser).expect(200).body()
                .path("stack");
        int patches = heatPatches(stackId);
        narrate.accept("Heat: stack " + stackId + " is " + finalStack.path("stack_status").asText()
                + " with reservation_id=" + finalStack.path("parameters").path("reservation_id").asText(null)
                + " (plan " + finished.path("stack_status").asText() + ", " + patches + " PATCH to Heat, "
                + startToComplete.toMillis() + " ms after the lease's start time)");
        JsonNode timeline = timeline(leaseId, asUser);
        return new Outcome(leaseId, reservationId, stackId, finalStack.path("stack_status").asText(),
                finalStack.path("parameters").path("reservation_id").asText(null),
                finished.path("stack_status").asText(), patches, startToComplete, timeline);
    }

    /** The lease's timeline, as an operator asked "why did my stack (not) launch?" would read it; printed compactly. */
    private JsonNode timeline(String leaseId, Map<String, String> asUser) {
        String url = stack.launcher().baseUrl() + "/v1/leases/" + leaseId + "/timeline";
        narrate.accept("leaseflow: the lease's timeline is at " + url + " (X-Auth-Token of the lease's project)");
        JsonNode timeline = http.get(url, asUser).expect(200).body();
        Instant first = null;
        int polls = 0;
        for (JsonNode entry : timeline.path("entries")) {
            Instant at = Instant.parse(entry.path("time").asText());
            first = first == null ? at : first;
            if (entry.path("kind").asText().equals("heat-call") && entry.at("/details/method").asText().equals("GET")) {
                polls++;
                continue;
            }
            String trace = entry.path("trace_id").asText("");
            narrate.accept(String.format("  %+8.3fs %-14s %-15s %s%s", Duration.between(first, at).toMillis() / 1000.0,
                    entry.path("service").asText(), entry.path("kind").asText(), entry.path("summary").asText(),
                    trace.isEmpty() ? "" : "  trace " + trace.substring(0, 8)));
        }
        narrate.accept("  (" + polls + " status reads of the stack in Heat not shown"
                + (timeline.path("partial").asBoolean() ? "; PARTIAL, missing: " + timeline.path("unavailable") : "")
                + ")");
        return timeline;
    }

    /** Asks the simulator to deliver the lease's start notification once more, as a redelivering broker would. */
    public void redeliverStart(String leaseId) {
        http.post(stack.sim().baseUrl() + "/sim/leases/" + leaseId + "/notify/lease.event.start_lease", null, Map.of())
                .expect(200, 202, 204);
    }

    /** The PATCHes of this stack Heat received (other stories' stacks are not counted). */
    public int heatPatches(String stackId) {
        int patches = 0;
        for (JsonNode r : http.get(stack.sim().baseUrl() + "/sim/requests?service=heat&method=PATCH", Map.of())
                .expect(200).body()) {
            if (r.path("path").asText().endsWith("/" + stackId)) {
                patches++;
            }
        }
        return patches;
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
