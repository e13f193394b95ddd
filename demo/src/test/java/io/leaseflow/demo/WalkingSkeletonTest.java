package io.leaseflow.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.testing.infra.SharedInfra;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The whole path on real wires: the simulator's Blazar publishes an oslo notification to a real AMQP broker,
 * lease-watcher turns it into a CloudEvent on real Kafka, stack-launcher PATCHes the simulator's Heat through a
 * Keystone trust, state in real PostgreSQL; every service a separate process, as deployed.
 */
class WalkingSkeletonTest {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static LeaseflowStack stack;

    @BeforeAll
    static void startEverything() {
        stack = LeaseflowStack.start(SharedInfra.kafka(), SharedInfra.postgres(), SharedInfra.amqp(),
                Path.of("target/e2e-logs"), Map.of("sim.blazar.payload", "chameleon", "sim.blazar.tick", "200ms"),
                // the reconciler's one early pass precedes every lease here: only the watchdog can find a lost start
                Map.of("lease-watcher", Map.of("leaseflow.reconcile.interval", "10m"),
                        "stack-launcher", Map.of("leaseflow.watchdog.grace", GRACE.toMillis() + "ms",
                                "leaseflow.watchdog.interval", "1s")));
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void leaseStartLaunchesBoundStackWithReservationIdExactlyOnce() {
        LaunchStory story = new LaunchStory(stack, System.out::println);
        LaunchStory.Outcome outcome = story.run(Duration.ofSeconds(5), Duration.ofSeconds(90));

        assertEquals("UPDATE_COMPLETE", outcome.stackStatus(), stack.launcher().tail());
        assertEquals("COMPLETE", outcome.planStatus());
        assertEquals(outcome.reservationId(), outcome.reservationParameterOnStack(),
                "Heat must get the reservation's id");
        assertNotEquals(outcome.leaseId(), outcome.reservationParameterOnStack(), "never the lease id");
        assertEquals(1, outcome.heatPatches());

        double duplicatesBefore = watcherDuplicates();
        story.redeliverStart(outcome.leaseId());
        await().atMost(Duration.ofSeconds(30)).until(() -> watcherDuplicates() > duplicatesBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> story.heatPatches() == 1);
    }

    @Test
    void droppedStartNotificationRaisesStartOverdueWithinTheGraceAndTheReconcileLaunchesOnce() throws Exception {
        try (StartOverdueTap tap = new StartOverdueTap(SharedInfra.kafka().bootstrapServers())) {
            LaunchStory story = new LaunchStory(stack, System.out::println, "demo-cluster-lost-start", 0);
            double published = metric(stack.watcher(), "leaseflow_watcher_overdue_reconciles_total",
                    "outcome=\"published\"");
            LaunchStory.Outcome outcome = story.run(Duration.ofSeconds(5), Duration.ofSeconds(90), true);

            assertEquals("COMPLETE", outcome.planStatus(), stack.launcher().tail());
            assertEquals("UPDATE_COMPLETE", outcome.stackStatus());
            assertEquals(outcome.reservationId(), outcome.reservationParameterOnStack());
            assertEquals(1, outcome.heatPatches(), "the reconcile launches the stack exactly once");

            String overdueType = "io.leaseflow.lease.start-overdue";
            String startedType = "org.openstack.reservation.lease.started";
            await().atMost(Duration.ofSeconds(30)).until(() -> !tap.of(outcome.leaseId(), overdueType).isEmpty()
                    && !tap.of(outcome.leaseId(), startedType).isEmpty());
            var overdue = tap.of(outcome.leaseId(), overdueType);
            assertEquals(1, overdue.size(), "start-overdue once per lease");
            JsonNode data = new ObjectMapper().readTree(overdue.get(0).value());
            Instant due = Instant.parse(data.path("startDate").asText());
            Duration raisedAfterStart = Duration.between(due, Instant.ofEpochMilli(overdue.get(0).timestamp()));
            assertTrue(raisedAfterStart.compareTo(GRACE) >= 0, "not before the grace: " + raisedAfterStart);
            assertTrue(raisedAfterStart.compareTo(GRACE.plusSeconds(4)) < 0,
                    "within the grace (plus one watchdog pass and slack): " + raisedAfterStart);

            var starts = tap.of(outcome.leaseId(), startedType);
            assertEquals(1, starts.size());
            assertEquals("POLL", new ObjectMapper().readTree(starts.get(0).value()).path("observedVia").asText(),
                    "no notification reported the start");
            assertEquals(published + 1,
                    metric(stack.watcher(), "leaseflow_watcher_overdue_reconciles_total", "outcome=\"published\""));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> metric(stack.launcher(), "leaseflow_lease_start_overdue", "") == 0);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> story.heatPatches() == 1);
        }
    }

    /** Sum of a metric's samples on a service whose labels contain {@code labelPart} (Prometheus text format). */
    private static double metric(io.leaseflow.testing.process.ServiceProcess service, String name, String labelPart) {
        String metrics = new JsonHttp().send("GET", service.baseUrl() + "/q/metrics", null,
                Map.of("Accept", "text/plain")).raw().body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1) == null ? labelPart.isEmpty() : m.group(1).contains(labelPart)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    @Test
    void timelineOfALaunchedLeaseTellsTheStoryInOrderOnOneTraceAcrossTheServices() {
        LaunchStory.Outcome outcome = new LaunchStory(stack, System.out::println, "traced-cluster", 0)
                .run(Duration.ofSeconds(5), Duration.ofSeconds(90));
        assertEquals("COMPLETE", outcome.planStatus(), stack.launcher().tail());
        JsonNode timeline = outcome.timeline();
        writeExample(timeline);
        assertFalse(timeline.path("partial").asBoolean(), timeline.toString());

        List<JsonNode> entries = new ArrayList<>();
        timeline.path("entries").forEach(entries::add);
        String started = "org.openstack.reservation.lease.started";
        int notification = indexOf(entries, e -> e.path("kind").asText().equals("observation")
                && e.at("/details/via").asText().equals("NOTIFICATION") && e.at("/details/event_type").asText().equals(started)
                && e.at("/details/published").asBoolean());
        int event = indexOf(entries, e -> e.path("kind").asText().equals("lease-event")
                && e.at("/details/type").asText().equals(started));
        int launching = indexOf(entries, e -> e.at("/details/to").asText().equals("LAUNCHING"));
        int patch = indexOf(entries, e -> e.path("kind").asText().equals("heat-call")
                && e.at("/details/method").asText().equals("PATCH"));
        int inProgress = indexOf(entries, e -> e.at("/details/to").asText().equals("IN_PROGRESS"));
        int complete = indexOf(entries, e -> e.at("/details/to").asText().equals("COMPLETE"));
        assertTrue(notification < event && event < launching && launching < patch && patch < inProgress
                && inProgress < complete, timeline.toPrettyString());
        assertEquals(202, entries.get(patch).at("/details/status").asInt());
        assertFalse(entries.get(notification).at("/details/message_id").asText().isEmpty(), "oslo's message id");

        String trace = entries.get(notification).path("trace_id").asText();
        assertTrue(trace.matches("[0-9a-f]{32}"), "the notification's span: " + trace);
        assertEquals(trace, traceOfKafkaRecord(outcome.leaseId(), started), "the record lease-watcher wrote");
        assertEquals(trace, entries.get(launching).path("trace_id").asText(), "stack-launcher's transition");
        assertEquals(trace, entries.get(patch).path("trace_id").asText(), "stack-launcher's Heat call");
        JsonNode received = new JsonHttp().get(stack.sim().baseUrl() + "/sim/requests?service=heat&method=PATCH",
                Map.of()).expect(200).body();
        String heatRequestId = entries.get(patch).at("/details/request_id").asText();
        JsonNode atHeat = null;
        for (JsonNode r : received) {
            if (heatRequestId.equals(r.path("request_id").asText())) {
                atHeat = r;
            }
        }
        assertTrue(atHeat != null, "Heat's request id " + heatRequestId + " in " + received);
        assertEquals(trace, atHeat.path("traceparent").asText().substring(3, 35), "the traceparent Heat received");
    }

    /** The response as an operator sees it, kept next to the services' logs (the READMEs quote it). */
    private static void writeExample(JsonNode timeline) {
        try {
            java.nio.file.Files.writeString(Path.of("target/e2e-logs/timeline-example.json"), timeline.toPrettyString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(List<JsonNode> entries, java.util.function.Predicate<JsonNode> wanted) {
        for (int i = 0; i < entries.size(); i++) {
            if (wanted.test(entries.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such entry in " + entries);
    }

    private static String traceOfKafkaRecord(String leaseId, String type) {
        try (KafkaCompanion kafka = new KafkaCompanion(SharedInfra.kafka().bootstrapServers())) {
            var task = kafka.consumeStrings().fromTopics("leaseflow.lease-events");
            await().atMost(Duration.ofSeconds(30)).until(() -> task.getRecords().stream()
                    .anyMatch(r -> leaseId.equals(r.key()) && type.equals(header(r, "ce_type"))));
            var record = task.getRecords().stream()
                    .filter(r -> leaseId.equals(r.key()) && type.equals(header(r, "ce_type"))).findFirst().orElseThrow();
            task.close();
            return header(record, "traceparent").substring(3, 35);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void everyInstanceReceivesTheWholeGroupAsJson() {
        ExchangeStory.Outcome outcome = new ExchangeStory(stack.exchange().baseUrl(), System.out::println).run(4);

        assertEquals(4, outcome.received().size());
        for (var inputs : outcome.received()) {
            assertEquals("COMPLETE", inputs.path("status").asText());
            assertEquals("10.20.0.12 node-2", inputs.at("/inputs/hosts/node-2").asText());
            assertEquals(4, inputs.at("/inputs/hosts").size());
        }
        assertTrue(outcome.etcHosts().contains("10.20.0.13 node-3"), outcome.etcHosts());
    }

    @Test
    void threeInstancesMeetInTheGroupStackLauncherCreatedAtLaunchWithNoGroupMadeByTheUser() {
        LaunchStory.Outcome launch = new LaunchStory(stack, System.out::println, "exchange-cluster", 3)
                .run(Duration.ofSeconds(4), Duration.ofSeconds(90));
        assertEquals("UPDATE_COMPLETE", launch.stackStatus(), stack.launcher().tail());
        assertEquals(1, launch.heatPatches(), "reservation id, group URL and join token in one PATCH");
        assertTrue(launch.groupId() != null && !launch.groupId().isEmpty(), "the plan shows its group");
        JsonNode groups = new JsonHttp().get(stack.exchange().baseUrl() + "/v1/groups?lease_id=" + launch.leaseId(),
                Map.of()).expect(200).body();
        assertEquals(1, groups.size(), "stack-launcher made exactly one group, for the lease: " + groups);
        assertEquals(launch.groupId(), groups.get(0).path("id").asText());

        InstancesStory.Outcome fleet = new InstancesStory(stack.sim().baseUrl(), System.out::println)
                .await(launch.stackId(), 3, Duration.ofSeconds(120));

        List<JsonNode> instances = fleet.instances();
        assertEquals(3, instances.size());
        String lines = hostsLines(instances);
        assertEquals(3, lines.lines().map(l -> l.split(" ")[0]).distinct().count(), lines);
        String expected = "127.0.0.1 localhost\n# BEGIN leaseflow group " + launch.groupId() + "\n" + lines
                + "# END leaseflow group " + launch.groupId() + "\n";
        for (JsonNode instance : instances) {
            assertEquals("done", instance.path("status").asText(), instance.toString());
            assertEquals(0, instance.path("exit_code").asInt(-1));
            assertEquals(expected, instance.path("etc_hosts").asText(), instance.path("name").asText());
            assertTrue(instance.path("log_tail").toString().contains("installed 3 line(s) of hosts"),
                    instance.path("log_tail").toString());
        }
        JsonNode group = new JsonHttp().get(stack.exchange().baseUrl() + "/v1/groups/" + launch.groupId(), Map.of())
                .expect(200).body();
        assertEquals("COMPLETE", group.path("status").asText(), group.toString());
        assertEquals(3, group.path("size").asInt(), "the template's exchange_size");
    }

    @Test
    void heatAgentInstancesExchangeThroughTheirCapabilityUrlsWithTheShippedScripts() {
        LaunchStory.Outcome launch = new LaunchStory(stack, System.out::println, "heat-cluster", 4, true)
                .run(Duration.ofSeconds(4), Duration.ofSeconds(90));
        assertEquals("UPDATE_COMPLETE", launch.stackStatus(), stack.launcher().tail());

        List<JsonNode> instances = new InstancesStory(stack.sim().baseUrl(), System.out::println)
                .await(launch.stackId(), 4, Duration.ofSeconds(120)).instances();

        String marker = "leaseflow group heat-cluster/" + launch.groupId();
        String expected = "127.0.0.1 localhost\n# BEGIN " + marker + "\n" + hostsLines(instances) + "# END " + marker
                + "\n";
        for (JsonNode instance : instances) {
            assertEquals("done", instance.path("status").asText(), instance.toString());
            assertEquals(expected, instance.path("etc_hosts").asText(), instance.path("name").asText());
            assertTrue(instance.path("log_tail").toString().contains("installed 4 hosts lines"), instance.toString());
        }
    }

    private static String hostsLines(List<JsonNode> instances) {
        return instances.stream()
                .sorted(Comparator.comparing(i -> i.path("hostname").asText()))
                .map(i -> i.path("ip").asText() + " " + i.path("hostname").asText() + "\n")
                .collect(Collectors.joining());
    }

    private static double watcherDuplicates() {
        String metrics = new JsonHttp().send("GET", stack.watcher().baseUrl() + "/q/metrics", null,
                Map.of("Accept", "text/plain")).raw().body();
        Matcher m = Pattern.compile("(?m)^leaseflow_watcher_duplicates_total\\{[^}]*} ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
