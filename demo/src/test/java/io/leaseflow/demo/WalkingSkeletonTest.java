package io.leaseflow.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.testing.infra.SharedInfra;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The whole path on real wires: the simulator's Blazar publishes an oslo notification to a real AMQP broker,
 * lease-watcher turns it into a CloudEvent on real Kafka, stack-launcher PATCHes the simulator's Heat through a
 * Keystone trust, state in real PostgreSQL; every service a separate process, as deployed.
 */
class WalkingSkeletonTest {
    private static LeaseflowStack stack;

    @BeforeAll
    static void startEverything() {
        stack = LeaseflowStack.start(SharedInfra.kafka(), SharedInfra.postgres(), SharedInfra.amqp(),
                Path.of("target/e2e-logs"), Map.of("sim.blazar.payload", "chameleon", "sim.blazar.tick", "200ms"));
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
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> story.heatPatches(outcome.stackId()) == 1);
    }

    @Test
    void timelineOfALaunchedLeaseTellsTheStoryInOrderOnOneTraceAcrossTheServices() {
        LaunchStory.Outcome outcome = new LaunchStory(stack, System.out::println, "traced")
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

    private static double watcherDuplicates() {
        String metrics = new JsonHttp().send("GET", stack.watcher().baseUrl() + "/q/metrics", null,
                Map.of("Accept", "text/plain")).raw().body();
        Matcher m = Pattern.compile("(?m)^leaseflow_watcher_duplicates_total\\{[^}]*} ([0-9.eE+]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
