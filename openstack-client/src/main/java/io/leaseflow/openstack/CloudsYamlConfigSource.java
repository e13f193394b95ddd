package io.leaseflow.openstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the cloud named by {@code OS_CLOUD} from {@code clouds.yaml}, like every OpenStack tool: {@code
 * $OS_CLIENT_CONFIG_FILE}, then {@code ./clouds.yaml}, {@code ~/.config/openstack/clouds.yaml},
 * {@code /etc/openstack/clouds.yaml}. Its values override {@code application.properties} (and so the
 * {@code OS_*} defaults there); {@code LEASEFLOW_OPENSTACK_*} environment variables still override it.
 */
public class CloudsYamlConfigSource implements ConfigSource {
    static final int ORDINAL = 260;
    private final Map<String, String> properties;

    public CloudsYamlConfigSource() {
        this(System.getenv(), Path.of(System.getProperty("user.home", "/root")));
    }

    CloudsYamlConfigSource(Map<String, String> env, Path home) {
        String cloud = env.get("OS_CLOUD");
        properties = cloud == null || cloud.isBlank() ? Map.of() : load(cloud, candidates(env, home));
    }

    private static List<Path> candidates(Map<String, String> env, Path home) {
        return Optional.ofNullable(env.get("OS_CLIENT_CONFIG_FILE")).map(f -> List.of(Path.of(f)))
                .orElse(List.of(Path.of("clouds.yaml"), home.resolve(".config/openstack/clouds.yaml"),
                        Path.of("/etc/openstack/clouds.yaml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> load(String cloud, List<Path> candidates) {
        Path file = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("OS_CLOUD=" + cloud + " but no clouds.yaml in " + candidates));
        Map<String, Object> root;
        try (InputStream in = Files.newInputStream(file)) {
            root = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, Object> clouds = (Map<String, Object>) root.getOrDefault("clouds", Map.of());
        Map<String, Object> entry = (Map<String, Object>) clouds.get(cloud);
        if (entry == null) {
            throw new IllegalStateException("cloud '" + cloud + "' is not in " + file + " (has " + clouds.keySet() + ")");
        }
        Map<String, Object> auth = (Map<String, Object>) entry.getOrDefault("auth", Map.of());
        Map<String, String> props = new HashMap<>();
        Function<Object, String> text = v -> v == null ? null : v.toString();
        put(props, "quarkus.rest-client.keystone.url", v3(text.apply(auth.get("auth_url"))));
        put(props, "leaseflow.openstack.username", text.apply(auth.get("username")));
        put(props, "leaseflow.openstack.password", text.apply(auth.get("password")));
        put(props, "leaseflow.openstack.project-name", text.apply(auth.get("project_name")));
        put(props, "leaseflow.openstack.user-domain-name", text.apply(auth.get("user_domain_name")));
        put(props, "leaseflow.openstack.project-domain-name", text.apply(auth.get("project_domain_name")));
        put(props, "leaseflow.openstack.region-name", text.apply(entry.get("region_name")));
        put(props, "leaseflow.openstack.endpoint-interface", text.apply(entry.get("interface")));
        return Map.copyOf(props);
    }

    private static String v3(String authUrl) {
        if (authUrl == null) {
            return null;
        }
        String url = authUrl.endsWith("/") ? authUrl.substring(0, authUrl.length() - 1) : authUrl;
        return url.endsWith("/v3") ? url : url + "/v3";
    }

    private static void put(Map<String, String> props, String key, String value) {
        if (value != null && !value.isBlank()) {
            props.put(key, value);
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "clouds.yaml";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
