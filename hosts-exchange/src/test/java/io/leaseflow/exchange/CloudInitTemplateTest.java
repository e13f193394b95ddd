package io.leaseflow.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The cloud-init snippet embeds the agent: the embedded copy must be the shipped script, byte for byte. */
class CloudInitTemplateTest {

    @Test
    void cloudInitEmbedsTheShippedAgentVerbatim() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("agent/cloud-init.yaml"));
        assertEquals("#cloud-config", lines.get(0));
        int pathLine = lines.indexOf("  - path: /usr/local/bin/leaseflow-agent.sh");
        int contentLine = lines.subList(pathLine, lines.size()).indexOf("    content: |") + pathLine;
        int end = lines.indexOf("runcmd:");
        assertTrue(pathLine > 0 && contentLine > pathLine && end > contentLine, "unexpected cloud-init layout");
        String embedded = lines.subList(contentLine + 1, end).stream()
                .map(line -> line.isEmpty() ? line : line.substring(6))
                .collect(Collectors.joining("\n", "", "\n"));
        assertEquals(Files.readString(Path.of("agent/leaseflow-agent.sh")), embedded);
        String text = String.join("\n", lines);
        assertTrue(text.contains("{{exchange_url}}") && text.contains("{{exchange_token}}"));
    }
}
