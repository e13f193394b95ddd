package io.leaseflow.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import io.leaseflow.testing.process.RepoLayout;

/**
 * The walking skeleton as a user lives it: prepare a stack in Heat before the lease exists (INIT_COMPLETE), reserve
 * a host in Blazar, bind the two in leaseflow, and watch Blazar's start notification launch the stack with the
 * reservation's id. With {@code instances > 0} the stack is a group of servers whose user_data is the shipped
 * cloud-init snippet; the template declares {@code exchange_url} and {@code exchange_token}, so stack-launcher creates
 * their hosts-exchange group at launch and passes both with the reservation id (the Heat-agent variant still makes
 * its group itself: the per-member capability URLs must be in the stack beforehand).
 */
public final class LaunchStory {
    private static final DateTimeFormatter BLAZAR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final JsonHttp http = new JsonHttp();
    private final LeaseflowStack stack;
    private final Consumer<String> narrate;
    private final String stackName;
    private final int instances;
    private final boolean heatAgent;
    private String stackId;

    /** What happened, for the demo to print and the end-to-end test to assert; {@code groupId} null without instances. */
    public record Outcome(String leaseId, String reservationId, String stackId, String stackStatus,
            String reservationParameterOnStack, String planStatus, int heatPatches, Duration startToComplete,
            String groupId, JsonNode timeline) {
    }

    /** One server, no user_data: the launch alone. */
    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate) {
        this(stack, narrate, "demo-cluster", 0);
    }

    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate, String stackName, int instances) {
        this(stack, narrate, stackName, instances, false);
    }

    /**
     * {@code heatAgent}: the servers are images with os-collect-config and heat-config instead of cloud-init's
     * agent; each gets its own capability URL from hosts-exchange in its {@code os-collect-config} metadata.
     */
    public LaunchStory(LeaseflowStack stack, Consumer<String> narrate, String stackName, int instances,
            boolean heatAgent) {
        this.stack = stack;
        this.narrate = narrate;
        this.stackName = stackName;
        this.instances = instances;
        this.heatAgent = heatAgent;
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

        String groupId = null;
        Map<String, Object> parameters = Map.of();
        if (instances > 0 && heatAgent) {
            // Capability URLs are per member and must be in the stack before launch: the user makes this group.
            String exchange = stack.exchange().baseUrl();
            JsonNode group = http.post(exchange + "/v1/groups", Map.of("name", stackName, "size", instances,
                    "outputs", List.of("hosts"), "timeout_s", 300, "on_timeout", "fail"), Map.of()).expect(201).body();
            groupId = group.path("id").asText();
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + group.path("join_token").asText());
            List<String> urls = new java.util.ArrayList<>();
            for (int i = 0; i < instances; i++) {
                urls.add(http.post(exchange + "/v1/groups/" + groupId + "/heat-members/" + nodeName(i), Map.of(),
                        bearer).expect(201).body().path("metadata_url").asText());
            }
            parameters = Map.of("metadata_urls", String.join(",", urls));
            narrate.accept("hosts-exchange: group " + groupId + " waits for " + instances
                    + " instances; one os-collect-config metadata URL each goes into the stack's parameters");
        }
        JsonNode created = http.post(heat + "/stacks", Map.of(
                "stack_name", stackName,
                "initialize", true,
                "template", instances > 0 ? clusterTemplate() : template(),
                "parameters", parameters), asUser).expect(201).body();
        stackId = created.at("/stack/id").asText();
        JsonNode shown = http.get(heat + "/stacks/" + stackName + "/" + stackId, asUser).expect(200).body();
        narrate.accept("Heat: stack " + stackName + " " + stackId + " is " + shown.at("/stack/stack_status").asText()
                + " (nothing allocated yet" + (instances == 0 ? "" : heatAgent
                        ? "; " + instances + " servers with os-collect-config metadata"
                        : "; " + instances + " servers with the agent's cloud-init") + ")");

        Instant start = Instant.now().plus(leaseStartsIn);
        JsonNode lease = http.post(blazar + "/leases", Map.of(
                "name", stackName + "-lease",
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
                + plan.path("stack_status").asText() + "); a Keystone trust lets leaseflow act for 'demo'"
                + (instances > 0 && !heatAgent ? "; the template declares exchange_url and exchange_token, so "
                        + "leaseflow will create their hosts-exchange group at launch" : ""));

        JsonNode finished = awaitPlanSettled(plan.path("id").asText(), asUser, timeout);
        if (instances > 0 && !heatAgent) {
            groupId = finished.path("exchange_group_id").asText(null);
            narrate.accept("hosts-exchange: group " + groupId + " was created by leaseflow at launch for "
                    + instances + " instances; its URL and join token went to Heat with the reservation id");
        }
        Duration startToComplete = Duration.between(start, Instant.now());
        JsonNode finalStack = http.get(heat + "/stacks/" + stackName + "/" + stackId, asUser).expect(200).body()
                .path("stack");
        int patches = heatPatches();
        narrate.accept("Heat: stack " + stackId + " is " + finalStack.path("stack_status").asText()
                + " with reservation_id=" + finalStack.path("parameters").path("reservation_id").asText(null)
                + " (plan " + finished.path("stack_status").asText() + ", " + patches + " PATCH to Heat, "
                + startToComplete.toMillis() + " ms after the lease's start time)");
        JsonNode timeline = timeline(leaseId, asUser);
        return new Outcome(leaseId, reservationId, stackId, finalStack.path("stack_status").asText(),
                finalStack.path("parameters").path("reservation_id").asText(null),
                finished.path("stack_status").asText(), patches, startToComplete, groupId, timeline);
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

    /** PATCH requests Heat received for this story's stack. */
    public int heatPatches() {
        int patches = 0;
        for (JsonNode request : http.get(stack.sim().baseUrl() + "/sim/requests?service=heat&method=PATCH", Map.of())
                .expect(200).body()) {
            if (request.path("path").asText().endsWith("/" + stackId)) {
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

    /**
     * A ResourceGroup of servers whose user_data is {@code hosts-exchange/agent/cloud-init.yaml} with the group's URL
     * and join token filled in by Heat's {@code str_replace}, as a user would write it. The parameters stay empty
     * until launch: leaseflow sets them, with the reservation id, in the same PATCH.
     */
    private Map<String, Object> clusterTemplate() {
        String cloudInit;
        try {
            cloudInit = Files.readString(RepoLayout.root().resolve("hosts-exchange/agent/cloud-init.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> server = Map.of(
                "name", nodeName("%index%"),
                "image", "CC-Ubuntu22.04", "flavor", "baremetal",
                "scheduler_hints", Map.of("reservation", Map.of("get_param", "reservation_id")),
                "user_data_format", "RAW",
                "user_data", Map.of("str_replace", Map.of("template", cloudInit, "params", Map.of(
                        "{{exchange_url}}", Map.of("get_param", "exchange_url"),
                        "{{exchange_token}}", Map.of("get_param", "exchange_token")))));
        if (heatAgent) {
            server = Map.of(
                    "name", nodeName("%index%"),
                    "image", "CC-CentOS8-heat-agents", "flavor", "baremetal",
                    "scheduler_hints", Map.of("reservation", Map.of("get_param", "reservation_id")),
                    "metadata", Map.of("os-collect-config", Map.of("collectors", List.of("request"), "request",
                            Map.of("metadata_url", Map.of("get_param", List.of("metadata_urls", "%index%"))))));
            return Map.of(
                    "heat_template_version", "2018-08-31",
                    "parameters", Map.of(
                            "reservation_id", Map.of("type", "string", "default", "",
                                    "description", "Blazar reservation to launch into"),
                            "metadata_urls", Map.of("type", "comma_delimited_list", "default", "", "hidden", true,
                                    "description", "one hosts-exchange capability URL per server")),
                    "resources", Map.of("nodes", Map.of("type", "OS::Heat::ResourceGroup", "properties", Map.of(
                            "count", instances,
                            "resource_def", Map.of("type", "OS::Nova::Server", "properties", server)))),
                    "outputs", Map.of());
        }
        return Map.of(
                "heat_template_version", "2018-08-31",
                "parameters", Map.of(
                        "reservation_id", Map.of("type", "string", "default", "",
                                "description", "Blazar reservation to launch into"),
                        "exchange_url", Map.of("type", "string", "default", "",
                                "description", "hosts-exchange group URL (leaseflow sets it at launch)"),
                        "exchange_token", Map.of("type", "string", "default", "", "hidden", true,
                                "description", "the group's join token (leaseflow sets it at launch)"),
                        "exchange_size", Map.of("type", "number", "default", instances,
                                "description", "servers in the group: the hosts-exchange group's size")),
                "resources", Map.of("nodes", Map.of("type", "OS::Heat::ResourceGroup", "properties", Map.of(
                        "count", Map.of("get_param", "exchange_size"),
                        "resource_def", Map.of("type", "OS::Nova::Server", "properties", server)))),
                "outputs", Map.of());
    }

    private String nodeName(Object index) {
        return stackName + "-node-" + index;
    }

    private static String blazarDate(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR_DATE);
    }
}
