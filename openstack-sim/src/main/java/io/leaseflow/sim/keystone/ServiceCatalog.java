package io.leaseflow.sim.keystone;

import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.keystone.IdentityDirectory.Project;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog in every scoped token: Keystone, Blazar and Heat all on this one port. */
@ApplicationScoped
public class ServiceCatalog {

    private static final List<String> INTERFACES = List.of("internal", "public", "admin");

    private final SimConfig config;

    public ServiceCatalog(SimConfig config) {
        this.config = config;
    }

    public List<Map<String, Object>> build(String base, Project project) {
        List<Map<String, Object>> catalog = new ArrayList<>();
        // Heat's endpoint already names the project, as in a real catalog.
        catalog.add(service("orchestration", "heat", base + "/orchestration/v1/" + project.id()));
        catalog.add(service("identity", "keystone", base + "/identity/v3"));
        catalog.add(service("reservation", "blazar", base + "/reservation/v1"));
        return catalog;
    }

    private Map<String, Object> service(String type, String name, String url) {
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (String iface : INTERFACES) {
            Map<String, Object> endpoint = new LinkedHashMap<>();
            endpoint.put("id", IdentityDirectory.idFor("endpoint", type + "/" + iface));
            endpoint.put("interface", iface);
            endpoint.put("region_id", config.keystone().region());
            endpoint.put("url", url);
            endpoint.put("region", config.keystone().region());
            endpoints.add(endpoint);
        }
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("endpoints", endpoints);
        service.put("id", IdentityDirectory.idFor("service", type));
        service.put("type", type);
        service.put("name", name);
        return service;
    }
}
