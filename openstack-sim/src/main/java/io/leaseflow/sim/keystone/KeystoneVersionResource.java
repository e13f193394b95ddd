package io.leaseflow.sim.keystone;

import io.leaseflow.sim.PublicUrl;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Version discovery, which keystoneauth-style clients call before authenticating. */
@Path("/identity/v3")
@Produces(MediaType.APPLICATION_JSON)
public class KeystoneVersionResource {

    private final PublicUrl publicUrl;

    public KeystoneVersionResource(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @GET
    public Map<String, Object> version(@Context UriInfo uriInfo) {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("id", "v3.14");
        version.put("status", "stable");
        version.put("updated", "2020-04-07T00:00:00Z");
        version.put("links", List.of(Map.of("rel", "self", "href", publicUrl.identity(uriInfo) + "/")));
        version.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.identity-v3+json")));
        return Map.of("version", version);
    }
}
