package io.leaseflow.sim.control;

import io.leaseflow.sim.PublicUrl;
import io.leaseflow.sim.blazar.LeaseNotifier;
import io.leaseflow.sim.blazar.LeaseStore;
import io.leaseflow.sim.heat.StackJson;
import io.leaseflow.sim.heat.StackStore;
import io.leaseflow.sim.notify.NotificationPublisher;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-only knobs and views; no token needed. Not part of any OpenStack API. */
@Path("/sim")
@Produces(MediaType.APPLICATION_JSON)
public class ControlResource {

    /** Body of {@code POST /sim/faults}. */
    public record FaultRequest(String service, String method, String pathContains, Integer status, Integer count,
            Long delayMs) {
    }

    private final RequestLog log;
    private final FaultInjector faults;
    private final LeaseStore leases;
    private final LeaseNotifier notifier;
    private final NotificationPublisher publisher;
    private final StackStore stacks;
    private final PublicUrl publicUrl;

    public ControlResource(RequestLog log, FaultInjector faults, LeaseStore leases, LeaseNotifier notifier,
                           NotificationPublisher publisher, StackStore stacks, PublicUrl publicUrl) {
        this.log = log;
        this.faults = faults;
        this.leases = leases;
        this.notifier = notifier;
        this.publisher = publisher;
        this.stacks = stacks;
        this.publicUrl = publicUrl;
    }

    @GET
    @Path("requests")
    public List<RecordedRequest> requests(@QueryParam("service") String service, @QueryParam("method") String method) {
        return log.find(service, method);
    }

    @DELETE
    @Path("requests")
    public Response clearRequests() {
        log.clear();
        return Response.noContent().build();
    }

    @POST
    @Path("faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response injectFault(FaultRequest request) {
        if (request == null || request.service() == null || (request.status() == null && request.delayMs() == null)) {
            throw new WebApplicationException("service and a status or a delayMs are required", 400);
        }
        int count = request.count() == null ? 1 : request.count();
        faults.arm(new FaultInjector.Fault(request.service(), request.method(), request.pathContains(),
                request.status() == null ? 0 : request.status(), request.delayMs() == null ? 0 : request.delayMs(),
                new AtomicInteger(count)));
        return Response.status(201).build();
    }

    @DELETE
    @Path("faults")
    public Response clearFaults() {
        faults.clear();
        return Response.noContent().build();
    }

    /**
     * Publishes a lease notification again. By default the very same message (same {@code message_id}), as a
     * broker redelivery would; {@code fresh=true} builds a new one, as a Blazar retry would.
     */
    @POST
    @Path("leases/{id}/notify/{event_type}")
    public Response notify(@PathParam("id") String leaseId, @PathParam("event_type") String eventType,
                           @QueryParam("fresh") boolean fresh) {
        if (!fresh) {
            var resent = notifier.resend(leaseId, eventType);
            if (resent.isPresent()) {
                return Response.accepted(Map.of("resent", true)).build();
            }
        }
        var lease = leases.find(leaseId).orElseThrow(() -> new NotFoundException("No lease " + leaseId));
        notifier.send(lease, eventType, lease.status());
        return Response.accepted(Map.of("resent", false)).build();
    }

    /** Drops every later notification of the lease (a lost notification); redeliveries via notify still go out. */
    @POST
    @Path("leases/{id}/drop-notifications")
    public Response dropNotifications(@PathParam("id") String leaseId) {
        leases.find(leaseId).orElseThrow(() -> new NotFoundException("No lease " + leaseId));
        notifier.drop(leaseId);
        return Response.noContent().build();
    }

    @GET
    @Path("notifications")
    public List<NotificationPublisher.Sent> notifications(@QueryParam("event_type") String eventType) {
        return publisher.recent().stream().filter(n -> eventType == null || eventType.equals(n.eventType())).toList();
    }

    @GET
    @Path("stacks/{id}")
    public Map<String, Object> stack(@PathParam("id") String id, @Context UriInfo uriInfo) {
        return stacks.byId(id).map(s -> Map.<String, Object>of("stack", StackJson.show(publicUrl.base(uriInfo), s)))
                .orElseThrow(() -> new NotFoundException("No stack " + id));
    }

    /** The stack's next action (update, delete) ends FAILED with this reason. */
    @POST
    @Path("stacks/{id}/fail-next-action")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response failNextAction(@PathParam("id") String id, Map<String, Object> body) {
        var stack = stacks.byId(id).orElseThrow(() -> new NotFoundException("No stack " + id));
        Object reason = body == null ? null : body.get("reason");
        stack.failNextAction(reason == null ? "Resource UPDATE failed: injected by the simulator" : reason.toString());
        return Response.noContent().build();
    }
}
