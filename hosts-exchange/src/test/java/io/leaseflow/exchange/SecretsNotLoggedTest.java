package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.leaseflow.exchange.ExchangeClient.inputs;
import static io.leaseflow.exchange.ExchangeClient.report;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.leaseflow.testing.logs.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Join tokens, member secrets, capability tokens and the database password never reach the log, at DEBUG either,
 * while every path that handles them runs, including refusals and a group's completion and deletion.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class SecretsNotLoggedTest {

    @Test
    void noSecretValueAppearsInTheLog() {
        List<String> secrets = new ArrayList<>();
        // The test database's password is the project's name ("leaseflow"), which log lines say in prose.
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .filter(p -> !p.equals("leaseflow")).ifPresent(secrets::add);
        try (LogCapture log = new LogCapture("io.leaseflow")) {
            var group = createGroup(2);
            secrets.add(group.joinToken());
            String secret0 = report(group, "node-0", "10.0.0.5 node-0").then().statusCode(201)
                    .extract().path("member_secret");
            secrets.add(secret0);
            // Refused writes log their refusal, never what was presented.
            given().contentType(ContentType.JSON).auth().oauth2(group.joinToken())
                    .header("X-Member-Secret", "wrong-secret-value-0123456789")
                    .body(Map.of("outputs", Map.of("hosts", "x"))).put(group.path() + "/members/node-0")
                    .then().statusCode(403);
            secrets.add("wrong-secret-value-0123456789");
            given().auth().oauth2("forged-join-token-0123456789").get(group.path() + "/inputs").then().statusCode(401);
            secrets.add("forged-join-token-0123456789");

            String metadataUrl = given().auth().oauth2(group.joinToken()).post(group.path() + "/heat-members/vm-1")
                    .then().statusCode(201).extract().path("metadata_url");
            String capability = URI.create(metadataUrl).getRawPath().replaceFirst(".*/v1/heat/", "");
            secrets.add(capability);
            given().get(URI.create(metadataUrl).getRawPath()).then().statusCode(200);
            given().contentType(ContentType.JSON).body(Map.of("deploy_status_code", 0, "hosts", "10.0.0.9 vm-1"))
                    .put(URI.create(metadataUrl).getRawPath() + "/signal/export").then().statusCode(200);
            given().contentType(ContentType.JSON).body("{not json").put(URI.create(metadataUrl).getRawPath()
                    + "/signal/export").then().statusCode(400);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    inputs(group).then().body("status", equalTo("COMPLETE")));

            var deleted = createGroup(2);
            secrets.add(deleted.joinToken());
            String secret1 = report(deleted, "node-1", "10.0.0.6 node-1").then().statusCode(201)
                    .extract().path("member_secret");
            secrets.add(secret1);
            given().auth().oauth2(deleted.joinToken()).delete(deleted.path()).then().statusCode(204);
            report(deleted, "node-1", "10.0.0.6 node-1").then().statusCode(404);

            assertTrue(log.size() > 0, "nothing was logged: the capture is not attached");
            assertTrue(log.text().contains(group.id()), "the group's lines were not captured");
            assertEquals(List.of(), log.leaks(secrets));
        }
    }
}
