package io.leaseflow.exchange;

import static io.leaseflow.exchange.ExchangeClient.createGroup;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.leaseflow.testing.KafkaBrokerResource;
import io.leaseflow.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Runs the shipped POSIX agent (sh + curl) against the service, as instances would. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "topics", value = ExchangeTopics.ALL))
class AgentScriptTest {

    static final Path AGENT = Path.of("agent/leaseflow-agent.sh");

    @TestHTTPResource("/")
    URL base;

    @Test
    void agentsInstallEveryMembersLineIntoTheirHostsFile(@TempDir Path dir) throws Exception {
        var group = createGroup(2);
        String groupUrl = base.toString().replaceAll("/$", "") + group.path();
        Path hosts0 = seededHosts(dir.resolve("hosts-0"));
        Path hosts1 = seededHosts(dir.resolve("hosts-1"));

        // The first agent starts alone and must wait for the second one's report.
        Process first = agent(groupUrl, group.joinToken(), "node-0", "10.0.0.5 node-0", hosts0, dir.resolve("s0"));
        Process second = agent(groupUrl, group.joinToken(), "node-1", "10.0.0.6 node-1", hosts1, dir.resolve("s1"));
        int secondExit = exitOf(second);
        int firstExit = exitOf(first);
        assertThat(log(dir, "s1"), secondExit, is(0));
        assertThat(log(dir, "s0"), firstExit, is(0));

        List<String> expected = List.of("127.0.0.1 localhost", "# BEGIN leaseflow group " + group.id(),
                "10.0.0.5 node-0", "10.0.0.6 node-1", "# END leaseflow group " + group.id());
        assertThat(Files.readAllLines(hosts0), equalTo(expected));
        assertThat(Files.readAllLines(hosts1), equalTo(expected));
    }

    @Test
    void rerunKeepsItsKeyAndReplacesItsBlock(@TempDir Path dir) throws Exception {
        var group = createGroup(1);
        String groupUrl = base.toString().replaceAll("/$", "") + group.path();
        Path hosts = seededHosts(dir.resolve("hosts"));
        assertThat(exitOf(agent(groupUrl, group.joinToken(), "node-0", "10.0.0.5 node-0", hosts, dir.resolve("s"))),
                is(0));
        // The group is COMPLETE now: the rerun's report is refused (409), it still installs the aggregate once.
        assertThat(exitOf(agent(groupUrl, group.joinToken(), "node-0", "10.0.0.5 node-0", hosts, dir.resolve("s"))),
                is(0));
        assertThat(Files.readAllLines(hosts), equalTo(List.of("127.0.0.1 localhost",
                "# BEGIN leaseflow group " + group.id(), "10.0.0.5 node-0", "# END leaseflow group " + group.id())));
        given().when().get(group.path()).then().body("reported", is(1));
    }

    private static String log(Path dir, String state) throws IOException {
        return "agent output:\n" + Files.readString(dir.resolve(state + ".log"));
    }

    private static Path seededHosts(Path file) throws IOException {
        return Files.writeString(file, "127.0.0.1 localhost\n");
    }

    private static Process agent(String groupUrl, String token, String key, String value, Path hosts, Path state)
            throws IOException {
        // Output to a file: a forked surefire JVM must not have children write to its own stdout.
        var builder = new ProcessBuilder("sh", AGENT.toString(), groupUrl).redirectErrorStream(true)
                .redirectOutput(state.resolveSibling(state.getFileName() + ".log").toFile());
        builder.environment().put("LEASEFLOW_JOIN_TOKEN", token);
        builder.environment().put("LEASEFLOW_KEY", key);
        builder.environment().put("LEASEFLOW_VALUE", value);
        builder.environment().put("LEASEFLOW_HOSTS_FILE", hosts.toString());
        builder.environment().put("LEASEFLOW_STATE_DIR", state.toString());
        builder.environment().put("LEASEFLOW_WAIT", "20s");
        return builder.start();
    }

    private static int exitOf(Process process) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent did not finish within 60 s");
        }
        return process.exitValue();
    }
}
