package io.leaseflow.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * hosts-exchange's group lifecycle as stack-launcher uses it, on a JDK HTTP server: {@code PUT /v1/groups/{id}} (and
 * {@code POST /v1/groups}) answers as hosts-exchange's {@code GroupResource} does ({@code 201}, or {@code 200} for
 * the same id and token again, {@code {id, name, size, status, join_token, urls}}),
 * {@code DELETE /v1/groups/{id}} checks the join token, {@code GET /v1/groups?lease_id=} lists nothing. It records
 * what it received, and can be told to refuse every group with a status.
 */
final class FakeHostsExchange {
    static final FakeHostsExchange INSTANCE = new FakeHostsExchange();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request body the fake received, and what it answered. */
    record Received(String method, String path, JsonNode body, String authorization, int status) {
    }

    /** A group it created: id and join token. */
    record Group(String id, String token, JsonNode definition) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicInteger refuseWith = new AtomicInteger();
    private final AtomicInteger answersToLose = new AtomicInteger();

    /** The application with its hosts-exchange client pointed at the fake. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.hosts-exchange.url", INSTANCE.url());
        }
    }

    private FakeHostsExchange() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/groups", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-hosts-exchange");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every group creation answers {@code status} (0: normally again). */
    void refuseWith(int status) {
        refuseWith.set(status);
    }

    /** A group created as stack-launcher would, for tests that put one in a plan by hand. */
    Group createDirectly(String name, int size) {
        ObjectNode definition = JSON.createObjectNode().put("name", name).put("size", size);
        Group group = new Group(UUID.randomUUID().toString(), "join-" + UUID.randomUUID(), definition);
        groups.put(group.id(), group);
        return group;
    }

    Group group(String id) {
        return groups.get(id);
    }

    /** The next {@code n} group creations are made but answered 502, as if the answer was lost. */
    void loseAnswers(int n) {
        answersToLose.set(n);
    }

    /** Groups it holds whose name is {@code name}. */
    List<Group> groupsNamed(String name) {
        return groups.values().stream().filter(g -> g.definition() != null
                && name.equals(g.definition().path("name").asText())).toList();
    }

    /** Group creation requests (POST, or PUT with a chosen id) whose name is {@code name}, whatever the answer. */
    List<Received> creations(String name) {
        return received.stream().filter(r -> (r.method().equals("POST") || r.method().equals("PUT")) && r.body() != null
                && name.equals(r.body().path("name").asText())).toList();
    }

    List<Received> deletions(String groupId) {
        return received.stream().filter(r -> r.method().equals("DELETE") && r.path().endsWith("/" + groupId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        JsonNode body = null;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length > 0) {
                body = JSON.readTree(bytes);
            }
        }
        int status;
        Object answer = null;
        if (method.equals("PUT") && path.startsWith("/v1/groups/")) {
            String id = path.substring("/v1/groups/".length());
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : "";
            Group existing = groups.get(id);
            int refused = refuseWith.get();
            if (refused != 0) {
                status = refused;
                answer = Map.of("type", "https://leaseflow.io/problems/unavailable", "title", "Refused by the test",
                        "status", refused);
            } else if (token.length() < 32) {
                status = 422;
            } else if (existing != null && !existing.token().equals(token)) {
                status = 409;
            } else {
                if (existing == null) {
                    groups.put(id, new Group(id, token, body));
                }
                String self = url() + "/v1/groups/" + id;
                status = existing == null ? 201 : 200;
                answer = Map.of("id", id, "name", body.path("name").asText(), "size", body.path("size").asInt(),
                        "status", "OPEN", "join_token", token, "urls", Map.of("members", self + "/members/{key}",
                                "inputs", self + "/inputs", "heat_members", self + "/heat-members/{key}"));
                if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    // Made, but the answer never arrives as sent: what a timeout or a proxy's 502 looks like.
                    status = 502;
                    answer = Map.of("type", "https://leaseflow.io/problems/bad-gateway", "title", "Lost answer",
                            "status", 502);
                }
            }
        } else if (method.equals("POST") && path.equals("/v1/groups")) {
            int refused = refuseWith.get();
            if (refused != 0) {
                status = refused;
                answer = Map.of("type", "https://leaseflow.io/problems/unavailable", "title", "Refused by the test",
                        "status", refused);
            } else {
                Group group = new Group(UUID.randomUUID().toString(), "join-" + UUID.randomUUID(), body);
                groups.put(group.id(), group);
                String self = url() + "/v1/groups/" + group.id();
                status = 201;
                answer = Map.of("id", group.id(), "name", body.path("name").asText(), "size",
                        body.path("size").asInt(), "status", "OPEN", "join_token", group.token(),
                        "urls", Map.of("members", self + "/members/{key}", "inputs", self + "/inputs",
                                "heat_members", self + "/heat-members/{key}"));
            }
        } else if (method.equals("DELETE") && path.startsWith("/v1/groups/")) {
            Group group = groups.get(path.substring("/v1/groups/".length()));
            if (group == null) {
                status = 404;
            } else if (!("Bearer " + group.token()).equals(auth)) {
                status = 401;
            } else {
                groups.remove(group.id());
                status = 204;
            }
        } else if (method.equals("GET") && path.equals("/v1/groups")) {
            status = 200;
            answer = List.of();
        } else {
            status = 404;
        }
        received.add(new Received(method, path, body, auth, status));
        byte[] out = answer == null ? new byte[0] : JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                status / 100 == 2 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        try (var os = exchange.getResponseBody()) {
            os.write(out);
        }
    }
}
