package io.leaseflow.watcher;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sums a counter across its tags from the service's own /q/metrics. */
final class WatcherMetrics {
    private WatcherMetrics() {
    }

    static double total(String name, String tagFilter) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains(tagFilter)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** The value of an untagged gauge. */
    static double gauge(String name) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)(?: #.*)?$").matcher(metrics);
        if (!m.find()) {
            throw new AssertionError(name + " not in /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
