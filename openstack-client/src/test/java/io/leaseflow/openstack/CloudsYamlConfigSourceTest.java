package io.leaseflow.openstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudsYamlConfigSourceTest {
    @TempDir
    Path home;

    @Test
    void namedCloudBecomesLeaseflowSettings() throws Exception {
        Path file = home.resolve(".config/openstack/clouds.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                clouds:
                  other:
                    auth: {auth_url: "http://elsewhere:5000/v3", username: nobody}
                  chameleon:
                    region_name: CHI@UC
                    interface: internal
                    auth:
                      auth_url: https://keystone.example.org:5000/
                      username: leaseflow
                      password: s3cret
                      project_name: service
                      user_domain_name: Default
                      project_domain_name: Default
                """);
        var source = new CloudsYamlConfigSource(Map.of("OS_CLOUD", "chameleon"), home);

        assertEquals("https://keystone.example.org:5000/v3", source.getValue("quarkus.rest-client.keystone.url"));
        assertEquals("leaseflow", source.getValue("leaseflow.openstack.username"));
        assertEquals("s3cret", source.getValue("leaseflow.openstack.password"));
        assertEquals("CHI@UC", source.getValue("leaseflow.openstack.region-name"));
        assertEquals("internal", source.getValue("leaseflow.openstack.endpoint-interface"));
    }

    @Test
    void withoutOsCloudNothingIsRead() {
        var source = new CloudsYamlConfigSource(Map.of(), home);
        assertTrue(source.getPropertyNames().isEmpty());
        assertNull(source.getValue("leaseflow.openstack.username"));
    }

    @Test
    void unknownCloudIsAClearError() throws Exception {
        Path file = home.resolve("clouds.yaml");
        Files.writeString(file, "clouds:\n  a: {auth: {username: x}}\n");
        var e = assertThrows(IllegalStateException.class, () -> new CloudsYamlConfigSource(
                Map.of("OS_CLOUD", "b", "OS_CLIENT_CONFIG_FILE", file.toString()), home));
        assertTrue(e.getMessage().contains("cloud 'b' is not in"), e.getMessage());
    }
}
