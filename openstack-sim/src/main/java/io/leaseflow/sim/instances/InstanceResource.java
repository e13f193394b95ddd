package io.leaseflow.sim.instances;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** {@code GET /sim/instances[?stack_id=]}: what Nova would show, plus what happened inside each instance. */
@Path("/sim/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    private final InstanceFleet fleet;

    public InstanceResource(InstanceFleet fleet) {
        this.fleet = fleet;
    }

    /** Name, IP, agent status, the instance's {@code /etc/hosts} and the tail of its console log. */
    @GET
    public List<Map<String, Object>> instances(@QueryParam("stack_id") String stackId) {
        return fleet.view(stackId);
    }
}
