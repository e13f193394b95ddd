package io.leaseflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** JSON over HTTP for the benchmark's own calls (setup, load, the simulator's control API). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;

    Http() {
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    record Reply(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        Reply expect(int... statuses) {
            for (int s : statuses) {
                if (s == status) {
                    return this;
                }
            }
            throw new IllegalStateException(raw.request().method() + " " + raw.request().uri() + " answered " + status
                    + ": " + abbreviate(raw.body()));
        }

        boolean ok() {
            return status / 100 == 2;
        }
    }

    HttpRequest request(String method, String url, Object body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json");
        headers.forEach(request::setHeader);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return request.build();
    }

    Reply send(String method, String url, Object body, Map<String, String> headers) {
        try {
            return reply(client.send(request(method, url, body, headers, Duration.ofSeconds(120)),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<Reply> sendAsync(String method, String url, Object body, Map<String, String> headers,
            Duration timeout) {
        return client.sendAsync(request(method, url, body, headers, timeout), HttpResponse.BodyHandlers.ofString())
                .thenApply(Http::reply);
    }

    /** The response as it came, unparsed: for many large identical bodies, which the caller compares instead. */
    CompletableFuture<HttpResponse<String>> sendAsyncRaw(String method, String url, Map<String, String> headers,
            Duration timeout) {
        return client.sendAsync(request(method, url, null, headers, timeout), HttpResponse.BodyHandlers.ofString());
    }

    static Reply reply(HttpResponse<String> response) {
        JsonNode json = MissingNode.getInstance();
        String text = response.body() == null ? "" : response.body().trim();
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                json = JSON.readTree(text);
            } catch (IOException e) {
                // keep the raw text
            }
        }
        return new Reply(response.statusCode(), response, json);
    }

    Reply get(String url, Map<String, String> headers) {
        return send("GET", url, null, headers);
    }

    Reply post(String url, Object body, Map<String, String> headers) {
        return send("POST", url, body, headers);
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
