package io.leaseflow.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The CI-sized crash suite: 300 leases and 4 exchange groups while every service is SIGKILLed and restarted, Kafka is
 * restarted, PostgreSQL crashes and the AMQP broker goes away, once each. The long run is
 * {@code ./bin/crash-suite} (2,000 leases, three rounds of faults).
 */
class CrashRestartTest {
    @Test
    void killingAnythingMidRunLosesNoLaunchAndDuplicatesNone() throws Exception {
        CrashSuite.Result result = CrashSuite.run(CrashSuite.Profile.SHORT, Path.of("target/crash-logs"),
                line -> System.out.println("crash suite: " + line));
        System.out.println("crash suite result: " + result.summary());

        assertEquals(Chaos.Fault.values().length, result.faultsPerformed(), "every fault injected once");
        assertEquals(0, result.lost(), result.summary());
        assertEquals(0, result.duplicates(), result.summary());
        assertEquals(0, result.wrongReservation(), result.summary());
        assertEquals(result.groups(), result.consistentGroups(), result.summary());
        assertTrue(result.groups() > 0);
    }
}
