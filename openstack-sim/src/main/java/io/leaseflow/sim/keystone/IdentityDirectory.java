package io.leaseflow.sim.keystone;

import io.leaseflow.sim.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users, projects and roles of the one domain, built from configuration. */
@ApplicationScoped
public class IdentityDirectory {

    public static final String DOMAIN_ID = "default";
    public static final String DOMAIN_NAME = "Default";

    public record Project(String id, String name) {
    }

    public record Role(String id, String name) {
    }

    public record User(String id, String name, String password, Project project, List<Role> roles) {
    }

    private final Map<String, User> usersById = new LinkedHashMap<>();
    private final Map<String, Project> projectsById = new LinkedHashMap<>();

    public IdentityDirectory(SimConfig config) {
        config.keystone().users().forEach((name, spec) -> {
            Project project = projectsById.computeIfAbsent(idFor("project", spec.project()), id -> new Project(id, spec.project()));
            List<Role> roles = spec.roles().stream().map(IdentityDirectory::role).toList();
            User user = new User(idFor("user", name), name, spec.password(), project, roles);
            usersById.put(user.id(), user);
        });
    }

    /** Stable ids let a restarted simulator keep the ids that services may have stored. */
    static String idFor(String kind, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((kind + ":" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Role role(String name) {
        return new Role(idFor("role", name), name);
    }

    public Optional<User> userById(String id) {
        return Optional.ofNullable(usersById.get(id));
    }

    public Optional<Project> projectById(String id) {
        return Optional.ofNullable(projectsById.get(id));
    }

    /** Resolves {@code {"id": ...}} or {@code {"name": ..., "domain": {"id"|"name": ...}}}. */
    public Optional<User> findUser(Map<?, ?> spec) {
        if (spec == null) {
            return Optional.empty();
        }
        if (spec.get("id") instanceof String id) {
            return userById(id);
        }
        if (spec.get("name") instanceof String name && inDefaultDomain(spec.get("domain"))) {
            return usersById.values().stream().filter(u -> u.name().equals(name)).findFirst();
        }
        return Optional.empty();
    }

    public Optional<Project> findProject(Map<?, ?> spec) {
        if (spec == null) {
            return Optional.empty();
        }
        if (spec.get("id") instanceof String id) {
            return projectById(id);
        }
        if (spec.get("name") instanceof String name && inDefaultDomain(spec.get("domain"))) {
            return projectsById.values().stream().filter(p -> p.name().equals(name)).findFirst();
        }
        return Optional.empty();
    }

    private static boolean inDefaultDomain(Object domain) {
        if (!(domain instanceof Map<?, ?> d)) {
            return false;
        }
        return DOMAIN_ID.equals(d.get("id")) || DOMAIN_NAME.equals(d.get("name"));
    }

    public static Map<String, Object> domainJson() {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("id", DOMAIN_ID);
        domain.put("name", DOMAIN_NAME);
        return domain;
    }
}
