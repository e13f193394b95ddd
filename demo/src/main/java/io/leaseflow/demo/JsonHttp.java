package io.leaseflow.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A small JSON-over-HTTP client for the demo's and the end-to-end test's calls. */
final class JsonHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

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
                    + ": " + raw.body());
        }
    }

    Reply send(String method, String url, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                    .header("Accept", "application/json");
            headers.forEach(request::header);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = MissingNode.getInstance();
            String text = response.body() == null ? "" : response.body().trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                json = JSON.readTree(text);
            }
            return new Reply(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String url, Map<String, String> headers) {
        return send("GET", url, null, headers);
    }

    Reply post(String url, Object body, Map<String, String> headers) {
        return send("POST", url, body, headers);
    }

    Reply put(String url, Object body, Map<String, String> headers) {
        return send("PUT", url, body, headers);
    }
}
