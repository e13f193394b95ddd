package io.leaseflow.exchange;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The REST calls tests make, so each test reads as the behaviour it checks. */
public final class ExchangeClient {

    private ExchangeClient() {
    }

    public record Group(String id, String joinToken) {
        public String path() {
            return "/v1/groups/" + id;
        }
    }

    public static Group createGroup(int size, int timeoutSeconds, String onTimeout) {
        var body = Map.of("name", "test", "size", size, "outputs", List.of("hosts"), "timeout_s", timeoutSeconds,
                "on_timeout", onTimeout);
        Response response = given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/groups")
                .then().statusCode(201).extract().response();
        return new Group(response.path("id"), response.path("join_token"));
    }

    public static Group createGroup(Map<String, Object> body) {
        Response response = given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/groups")
                .then().statusCode(201).extract().response();
        return new Group(response.path("id"), response.path("join_token"));
    }

    /** Sum of the samples of a Prometheus metric whose line starts with {@code prefix} and contains {@code part}. */
    public static double metric(String prefix, String part) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(prefix) && line.contains(part))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    public static Group createGroup(int size) {
        return createGroup(size, 3600, "fail");
    }

    public static Response report(Group group, String key, String hostsLine) {
        return given().contentType(ContentType.JSON).auth().oauth2(group.joinToken())
                .body(Map.of("outputs", Map.of("hosts", hostsLine)))
                .when().put(group.path() + "/members/" + key);
    }

    public static Response inputs(Group group) {
        return given().auth().oauth2(group.joinToken()).when().get(group.path() + "/inputs");
    }

    public static Response poll(Group group, String wait, String etag) {
        var request = given().auth().oauth2(group.joinToken()).queryParam("wait", wait);
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        return request.when().get(group.path() + "/inputs");
    }
}
