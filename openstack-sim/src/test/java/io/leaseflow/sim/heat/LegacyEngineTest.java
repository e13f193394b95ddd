package io.leaseflow.sim.heat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leaseflow.sim.Samples;
import io.leaseflow.sim.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@TestProfile(LegacyEngineTest.Legacy.class)
class LegacyEngineTest {

    public static class Legacy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sim.heat.engine", "legacy", "sim.heat.action-delay", "3s");
        }
    }

    @Test
    void patchWhileUpdateInProgressAnswers409ActionInProgress() {
        JsonNode sample = Samples.json("heat-real/legacy-engine/02-stack-patch-while-in-progress-legacy.json")
                .get("response");
        HeatStacks.Created stack = HeatStacks.create(TestTokens.demo(), Map.of("initialize", true));
        HeatStacks.patch(stack, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "one")))
                .then().statusCode(202);
        Response r = HeatStacks.patch(stack, stack.token().id(), Map.of("parameters", Map.of("reservation_id", "two")));
        r.then().statusCode(409);
        JsonNode expected = Samples.parse(sample.get("body").toString().replace("smoke23853-slow", stack.name()));
        assertEquals(expected, Samples.parse(r.asString()));
    }
}
