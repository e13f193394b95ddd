package io.leaseflow.exchange.heat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.contract.CloudEventIds;

/**
 * The server metadata os-collect-config's {@code request} collector reads, in the shape Heat writes to a Swift temp
 * URL: {@code deployments} at the top level and the whole {@code os-collect-config} block beside it.
 * <ul>
 * <li>Phase 1, export: runs at once; its outputs are the group's outputs, signalled to our capability URL.</li>
 * <li>Phase 2, populate: appears once the group is COMPLETE or PARTIAL, with each output's aggregate as an input
 * typed {@code Json} (a {@code String} map would reach scripts as a Python repr). A new config id, because the
 * agent runs each id once.</li>
 * </ul>
 * {@code polling_interval} is short while the group is open (os-apply-config renders it into the agent's config
 * and the agent re-executes itself with it) and relaxed once it closed. No {@code splay}: a non-integer crashes the
 * agent and an integer only delays it.
 */
final class HeatMetadata {

    static final String EXPORT_SCRIPT = resource("export-hosts.sh");
    static final String POPULATE_SCRIPT = resource("populate-hosts.py");
    private static final DateTimeFormatter HEAT_TIME = DateTimeFormatter.ISO_INSTANT;

    private HeatMetadata() {
    }

    /** URLs of one capability. */
    record Urls(String metadata, String exportSignal, String populateSignal) {
    }

    static ObjectNode osCollectConfig(ObjectMapper json, String metadataUrl, int pollingInterval) {
        ObjectNode block = json.createObjectNode();
        block.putArray("collectors").add("request");
        block.putObject("request").put("metadata_url", metadataUrl);
        block.put("polling_interval", pollingInterval);
        return block;
    }

    static ObjectNode build(ObjectMapper json, HeatMembers.Capability cap, Urls urls,
            Map<String, Map<String, String>> aggregate, int pollingInterval) {
        ObjectNode root = json.createObjectNode();
        ArrayNode deployments = root.putArray("deployments");
        ObjectNode export = deployment(deployments, "export", cap, cap.createdAt(),
                orDefault(cap.exportGroup()), cap.exportConfig() != null ? cap.exportConfig() : EXPORT_SCRIPT);
        ArrayNode exportInputs = export.putArray("inputs");
        derivedInputs(exportInputs, cap, urls.exportSignal());
        ArrayNode exportOutputs = export.putArray("outputs");
        for (String output : cap.outputs()) {
            ObjectNode o = exportOutputs.addObject();
            o.put("name", output);
            o.put("type", "String");
            o.put("error_output", false);
            o.put("description", "Reported to the leaseflow exchange group " + cap.groupName());
        }
        if (aggregate != null) {
            ObjectNode populate = deployment(deployments, "populate", cap,
                    cap.closedAt() == null ? Instant.now() : cap.closedAt(), orDefault(cap.populateGroup()),
                    cap.populateConfig() != null ? cap.populateConfig() : POPULATE_SCRIPT);
            ArrayNode inputs = populate.putArray("inputs");
            aggregate.forEach((output, values) -> {
                ObjectNode input = inputs.addObject();
                input.put("name", output);
                input.put("type", "Json");
                input.set("value", json.valueToTree(values));
                input.put("description", "Every member's " + output + ", by member key (JSON)");
            });
            ObjectNode status = inputs.addObject();
            status.put("name", "exchange_status");
            status.put("type", "String");
            status.put("value", cap.status().name());
            status.put("description", "COMPLETE, or PARTIAL when the deadline passed first");
            derivedInputs(inputs, cap, urls.populateSignal());
            populate.putArray("outputs");
        }
        root.set("os-collect-config", osCollectConfig(json, urls.metadata(), pollingInterval));
        return root;
    }

    private static ObjectNode deployment(ArrayNode deployments, String phase, HeatMembers.Capability cap,
            Instant created, String group, String config) {
        ObjectNode d = deployments.addObject();
        // Stable per phase (and, for populate, per final aggregate): the agent deploys each id once.
        String identity = "exchange/" + cap.groupId() + "/" + cap.key() + "/" + phase
                + (phase.equals("populate") ? "/" + cap.revision() : "");
        d.put("id", CloudEventIds.nameBased(identity));
        // Heat sorts deployments by name: export before populate.
        d.put("name", "leaseflow-exchange-" + (phase.equals("export") ? "1-export" : "2-populate"));
        d.put("group", group);
        d.put("creation_time", HEAT_TIME.format(created.truncatedTo(ChronoUnit.SECONDS)));
        d.put("config", config);
        d.putNull("options");
        return d;
    }

    private static void derivedInputs(ArrayNode inputs, HeatMembers.Capability cap, String signalUrl) {
        input(inputs, "deploy_server_id", cap.key(), "ID of the server being deployed to");
        input(inputs, "deploy_action", "CREATE", "Name of the current action being deployed");
        input(inputs, "deploy_stack_id", cap.groupName() + "/" + cap.groupId(),
                "ID of the stack this deployment belongs to");
        input(inputs, "deploy_resource_name", cap.key(), "Name of this deployment resource in the stack");
        input(inputs, "deploy_signal_transport", "TEMP_URL_SIGNAL",
                "How the server should signal to heat with the deployment output values.");
        input(inputs, "deploy_signal_id", signalUrl, "ID of signal to use for signalling output values");
        input(inputs, "deploy_signal_verb", "PUT", "HTTP verb to use for signaling outputvalues");
    }

    private static void input(ArrayNode inputs, String name, String value, String description) {
        ObjectNode input = inputs.addObject();
        input.put("type", "String");
        input.put("name", name);
        input.put("value", value);
        input.put("description", description);
    }

    private static String orDefault(String group) {
        return group == null ? "script" : group;
    }

    private static String resource(String name) {
        try (InputStream in = HeatMetadata.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
