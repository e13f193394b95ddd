package io.leaseflow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A recording pass-through in front of hosts-exchange's capability URLs ({@code /v1/heat/...}), so that the benchmark
 * sees hosts-exchange's request side per member: when each HEAD/GET poll and each signal arrived, what the poll was
 * served ({@code polling_interval}, whether the populate deployment was in it) and when the signal was answered.
 * Bytes, status and headers pass unchanged (the service's own {@code public-url} points here, so every URL in the
 * metadata does too). Capability tokens stay in memory: a hit is recorded under its member key, signal bodies only as
 * the few facts the report needs.
 */
final class CapabilityTap implements AutoCloseable {
    /** Headers the JDK client sets itself or refuses. */
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** One request from an agent: {@code kind} is {@code poll}, {@code export} or {@code populate}. */
    record Hit(String member, String method, String kind, Instant received, Instant answered, int status,
            int servedInterval, boolean servedPopulate, Signal signal) {
    }

    /** What a signal said: its {@code deploy_status_code} and the script's stdout (nothing else is kept). */
    record Signal(int statusCode, String stdout) {
        static Signal of(JsonNode body) {
            return new Signal(body.path("deploy_status_code").asInt(-1), body.path("deploy_stdout").asText(""));
        }
    }

    private final HttpServer server;
    private final HttpClient upstream;
    private final String target;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, String> memberByToken = new ConcurrentHashMap<>();
    private final List<Hit> hits = new ArrayList<>();

    CapabilityTap(int port, String target) throws IOException {
        this.target = target;
        this.upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hits on {@code metadataUrl} (and its signals) are recorded under {@code member}. */
    void register(String metadataUrl, String member) {
        memberByToken.put(token(URI.create(metadataUrl).getPath()), member);
    }

    synchronized List<Hit> hits(String member) {
        return hits.stream().filter(h -> h.member().equals(member)).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        Instant received = Instant.now();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<InputStream> answer;
            byte[] answerBody;
            try {
                answer = upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = answer.body()) {
                    answerBody = in.readAllBytes();
                }
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            boolean noBody = method.equals("HEAD") || answerBody.length == 0;
            exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : answerBody.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answerBody);
                }
            }
            remember(path, method, received, answer.statusCode(), body, answerBody);
        }
    }

    private void remember(String path, String method, Instant received, int status, byte[] body, byte[] answer) {
        String member = memberByToken.get(token(path));
        if (member == null) {
            return;
        }
        int signalAt = path.indexOf("/signal/");
        String kind = signalAt < 0 ? "poll" : path.substring(signalAt + "/signal/".length());
        int interval = -1;
        boolean populate = false;
        Signal signal = null;
        try {
            if (kind.equals("poll") && method.equals("GET") && status == 200) {
                JsonNode metadata = Http.JSON.readTree(answer);
                interval = metadata.at("/os-collect-config/polling_interval").asInt(-1);
                for (JsonNode deployment : metadata.path("deployments")) {
                    populate |= deployment.path("name").asText().endsWith("-populate");
                }
            } else if (!kind.equals("poll")) {
                signal = Signal.of(Http.JSON.readTree(body));
            }
        } catch (IOException e) {
            // recorded without the parsed facts; the report shows the status
        }
        synchronized (this) {
            hits.add(new Hit(member, method, kind, received, Instant.now(), status, interval, populate, signal));
        }
    }

    private static String token(String path) {
        String rest = path.startsWith("/v1/heat/") ? path.substring("/v1/heat/".length()) : "";
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
