package io.leaseflow.sim.instances;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What an os-collect-config image does with its server's {@code metadata_url}, written in Java (the Python agents
 * are not on the simulator's host): the {@code request} collector polls the URL every {@code polling_interval}
 * without credentials or conditional headers; each new deployment of group {@code script} runs through the
 * heat-config {@code script} hook (the config as an executable, inputs as environment variables, outputs read from
 * {@code $heat_outputs_path.<name>}); heat-config-notify then sends {@code deploy_stdout}, {@code deploy_stderr},
 * {@code deploy_status_code} and the outputs to {@code deploy_signal_id} with {@code deploy_signal_verb}. The
 * config scripts (hosts-exchange's export and populate scripts) run unchanged. The agent ends after the deployment
 * that carries the input {@code exchange_status} (hosts-exchange's last phase), or when the URL is revoked.
 */
final class HeatConfigAgent implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String metadataUrl;
    private final InstanceRoot root;
    private final Map<String, String> baseEnv;
    private final Consumer<String> log;
    private final Runnable signalled;
    private final IntConsumer finished;
    private volatile boolean stopped;
    private volatile Process running;

    HeatConfigAgent(String metadataUrl, InstanceRoot root, Map<String, String> baseEnv, Consumer<String> log,
                    Runnable signalled, IntConsumer finished) {
        this.metadataUrl = metadataUrl;
        this.root = root;
        this.baseEnv = baseEnv;
        this.log = log;
        this.signalled = signalled;
        this.finished = finished;
    }

    void stop() {
        stopped = true;
        Process p = running;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    @Override
    public void run() {
        Set<String> applied = new HashSet<>();
        int failures = 0;
        try {
            while (!stopped) {
                HttpResponse<String> r;
                try {
                    r = HTTP.send(HttpRequest.newBuilder(URI.create(metadataUrl)).timeout(Duration.ofSeconds(10))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    r = null;
                }
                if (r != null && (r.statusCode() == 404 || r.statusCode() == 403)) {
                    log.accept("os-collect-config: metadata URL answers " + r.statusCode() + "; stopping");
                    finished.accept(1);
                    return;
                }
                if (r == null || r.statusCode() != 200) {
                    log.accept("os-collect-config: request collector failed (" + (r == null ? "no connection"
                            : "HTTP " + r.statusCode()) + "), retrying");
                    Thread.sleep(Math.min(30, ++failures) * 1000L);
                    continue;
                }
                failures = 0;
                JsonNode metadata = JSON.readTree(r.body());
                for (JsonNode deployment : metadata.path("deployments")) {
                    String id = deployment.path("id").asText();
                    if (stopped || !applied.add(id)) {
                        continue;
                    }
                    String name = deployment.path("name").asText();
                    if (!"script".equals(deployment.path("group").asText())) {
                        log.accept("heat-config: no hook for group " + deployment.path("group").asText() + "; "
                                + name + " not deployed");
                        continue;
                    }
                    int code = deploy(deployment);
                    signalled.run();
                    if (input(deployment, "exchange_status") != null) {
                        finished.accept(code);
                        return;
                    }
                }
                int interval = metadata.at("/os-collect-config/polling_interval").asInt(30);
                Thread.sleep(Math.max(1, Math.min(interval, 30)) * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.accept("os-collect-config: " + e);
            finished.accept(1);
        }
    }

    /** The {@code script} hook, then heat-config-notify; returns the script's exit status. */
    private int deploy(JsonNode deployment) throws IOException, InterruptedException {
        String id = deployment.path("id").asText();
        String name = deployment.path("name").asText();
        Path config = root.path("/var/lib/heat-config/heat-config-script/" + id);
        Path outputs = root.path("/var/run/heat-config/heat-config-script/" + id);
        Files.createDirectories(config.getParent());
        Files.createDirectories(outputs.getParent());
        Files.writeString(config, deployment.path("config").asText());
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwx------"));
        Path stdout = Files.createTempFile(outputs.getParent(), id, ".out");
        Path stderr = Files.createTempFile(outputs.getParent(), id, ".err");

        ProcessBuilder builder = new ProcessBuilder(config.toString()).directory(root.dir().toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(baseEnv);
        for (JsonNode input : deployment.path("inputs")) {
            JsonNode value = input.path("value");
            builder.environment().put(input.path("name").asText(),
                    value.isTextual() ? value.asText() : value.isNull() ? "" : JSON.writeValueAsString(value));
        }
        builder.environment().put("heat_outputs_path", outputs.toString());
        running = builder.start();
        int code = running.waitFor(10, TimeUnit.MINUTES) ? running.exitValue() : -1;
        running = null;

        ObjectNode signal = JSON.createObjectNode();
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        signal.put("deploy_stdout", out);
        signal.put("deploy_stderr", err);
        signal.put("deploy_status_code", code);
        for (JsonNode output : deployment.path("outputs")) {
            Path file = Path.of(outputs + "." + output.path("name").asText());
            if (Files.exists(file)) {
                signal.put(output.path("name").asText(), Files.readString(file));
            }
        }
        out.lines().forEach(log);
        err.lines().forEach(log);
        String url = input(deployment, "deploy_signal_id");
        String verb = input(deployment, "deploy_signal_verb") == null ? "POST" : input(deployment, "deploy_signal_verb");
        String answer = "no deploy_signal_id";
        if (url != null) {
            answer = notify(url, verb, JSON.writeValueAsString(signal));
        }
        log.accept("heat-config: " + name + " [script] exit " + code + "; heat-config-notify " + verb + " -> " + answer);
        return code;
    }

    private static String notify(String url, String verb, String body) throws InterruptedException {
        String answer = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .method(verb, HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                answer = "HTTP " + r.statusCode();
                if (r.statusCode() < 500) {
                    return answer;
                }
            } catch (IOException e) {
                answer = e.toString();
            }
            Thread.sleep(attempt * 1000L);
        }
        return answer;
    }

    private static String input(JsonNode deployment, String name) {
        for (JsonNode input : deployment.path("inputs")) {
            if (name.equals(input.path("name").asText())) {
                return input.path("value").asText(null);
            }
        }
        return null;
    }
}
