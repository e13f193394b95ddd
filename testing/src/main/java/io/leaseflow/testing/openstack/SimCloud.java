package io.leaseflow.testing.openstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A client of the simulated cloud as a user and as a test: Keystone, Blazar leases, the {@code /sim} controls. */
public final class SimCloud {
    private static final DateTimeFormatter BLAZAR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    /** A lease as Blazar created it. */
    public record Lease(String id, String reservationId) {
    }

    public SimCloud(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A project-scoped token of the user. */
    public String token(String user, String password, String project) {
        HttpResponse<String> r = send("POST", "/identity/v3/auth/tokens", KeystoneRequests.passwordAuth(user, password,
                project), null, 201);
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** A lease with one physical:host reservation, starting at {@code start}, one hour long, as user demo. */
    public Lease createLease(String name, Instant start) {
        Map<String, Object> body = Map.of("name", name, "start_date", blazarDate(start),
                "end_date", blazarDate(start.plus(Duration.ofHours(1))),
                "reservations", List.of(Map.of("resource_type", "physical:host", "min", 1, "max", 1,
                        "hypervisor_properties", "", "resource_properties", "")),
                "events", List.of());
        JsonNode lease = json(send("POST", "/reservation/v1/leases", body, token("demo", "secret", "demo"), 201))
                .path("lease");
        return new Lease(lease.path("id").asText(), lease.path("reservations").get(0).path("id").asText());
    }

    /** Delivers the lease's notification of this type once more, the same message as before. */
    public void renotify(String leaseId, String eventType) {
        send("POST", "/sim/leases/" + leaseId + "/notify/" + eventType, null, null, 0);
    }

    /** Makes the token expire now; Keystone refuses it from then on, as after its TTL. */
    public void expireToken(String token) {
        send("POST", "/sim/tokens/expire", Map.of("token", token), null, 204);
    }

    /** Every later notification of the lease is dropped before the broker: a lost notification. */
    public void dropNotifications(String leaseId) {
        send("POST", "/sim/leases/" + leaseId + "/drop-notifications", null, null, 204);
    }

    /** The next {@code count} matching calls answer {@code status}. */
    public void fail(String service, String method, int status, int count) {
        send("POST", "/sim/faults", Map.of("service", service, "method", method, "status", status, "count", count),
                null, 0);
    }

    public String baseUrl() {
        return baseUrl;
    }

    private HttpResponse<String> send(String method, String path, Object body, String token, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                request.header("X-Auth-Token", token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = expected == 0 ? response.statusCode() / 100 == 2 : response.statusCode() == expected;
            if (!ok) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String blazarDate(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(BLAZAR_DATE);
    }
}
