package io.leaseflow.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Many agents at once over plain HTTP/1.1 (REST Assured is synchronous): long-polls that park on the server and
 * member writes with bounded concurrency.
 */
final class HttpAgents {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    HttpAgents(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** {@code GET .../inputs?wait=} without If-None-Match: answers when the group closes. */
    CompletableFuture<HttpResponse<String>> awaitAggregate(ExchangeClient.Group group, String wait) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + group.path() + "/inputs?wait=" + wait))
                .header("Authorization", "Bearer " + group.joinToken()).timeout(Duration.ofSeconds(120)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> pollChange(ExchangeClient.Group group, String wait, String etag) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + group.path() + "/inputs?wait=" + wait))
                .header("Authorization", "Bearer " + group.joinToken()).header("If-None-Match", etag)
                .timeout(Duration.ofSeconds(120)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> report(ExchangeClient.Group group, String key, String value,
            String memberSecret) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + group.path() + "/members/" + key))
                .header("Authorization", "Bearer " + group.joinToken()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"outputs\":{\"hosts\":\"" + value + "\"}}"));
        if (memberSecret != null) {
            builder.header("X-Member-Secret", memberSecret);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A write that waits for a permit, so at most {@code permits.availablePermits()} are in flight. */
    CompletableFuture<HttpResponse<String>> report(ExchangeClient.Group group, String key, String value,
            Semaphore permits) {
        permits.acquireUninterruptibly();
        return report(group, key, value, (String) null).whenComplete((r, e) -> permits.release());
    }
}
