package io.leaseflow.testing.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Sends raw bytes to a running service, so that bodies no typed client would produce reach the parsers. */
public final class HttpProbe {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    /** What came back: status, the {@code Content-Type} (empty if none), the body as text, and the headers. */
    public record Reply(int status, String contentType, String body, Map<String, java.util.List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    public HttpProbe(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The app under a {@code @QuarkusTest} in this JVM, at its test port. */
    public static HttpProbe testApp() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        return new HttpProbe("http://localhost:" + port);
    }

    public Reply send(String method, String path, BadInput input, Map<String, String> headers) {
        return send(method, path, input.body(), input.contentType(), headers);
    }

    public Reply send(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null && !contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        var pending = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request timeout alone does not end every stall (e.g. a body the server stopped reading).
            HttpResponse<byte[]> response = pending.get(40, java.util.concurrent.TimeUnit.SECONDS);
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    new String(response.body(), StandardCharsets.UTF_8), response.headers().map());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getCause(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            pending.cancel(true);
            throw new IllegalStateException(method + " " + path + " got no answer within 40 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path, Map<String, String> headers) {
        return send("GET", path, null, null, headers);
    }
}
