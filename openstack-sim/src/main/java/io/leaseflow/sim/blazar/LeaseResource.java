package io.leaseflow.sim.blazar;

import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.keystone.Token;
import io.leaseflow.sim.keystone.TokenStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Blazar v1 {@code /leases}. */
@Path("/reservation/v1/leases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LeaseResource {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final List<String> ON_START_WORDS = List.of("", "default", "orchestration");
    private static final AtomicInteger AGGREGATES = new AtomicInteger(10);

    private final TokenStore tokens;
    private final LeaseStore leases;
    private final LeaseNotifier notifier;
    private final int minutesBeforeEnd;

    public LeaseResource(TokenStore tokens, LeaseStore leases, LeaseNotifier notifier, SimConfig config) {
        this.tokens = tokens;
        this.leases = leases;
        this.notifier = notifier;
        this.minutesBeforeEnd = config.blazar().minutesBeforeEnd();
    }

    @GET
    public Map<String, Object> list(@HeaderParam("X-Auth-Token") String authToken) {
        Token token = tokens.authenticate(authToken);
        List<Map<String, Object>> visible = leases.all().stream()
                .filter(l -> visibleTo(l, token))
                .sorted(Comparator.comparing((Lease l) -> l.createdAt))
                .map(LeaseResource::render)
                .toList();
        return Map.of("leases", visible);
    }

    @GET
    @Path("{id}")
    public Map<String, Object> show(@HeaderParam("X-Auth-Token") String authToken, @PathParam("id") String id) {
        return Map.of("lease", render(visibleLease(tokens.authenticate(authToken), id)));
    }

    @POST
    public Response create(@HeaderParam("X-Auth-Token") String authToken, Map<String, Object> body) {
        Token token = tokens.authenticate(authToken);
        if (body == null || !(body.get("name") instanceof String name) || name.isBlank()) {
            throw BlazarError.invalid("Missing parameter name");
        }
        if (leases.all().stream().anyMatch(l -> l.projectId.equals(token.project().id()) && l.name.equals(name))) {
            throw new BlazarError(409, "Lease with name:" + name + " already exists");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Lease lease = new Lease();
        lease.id = UUID.randomUUID().toString();
        lease.name = name;
        lease.userId = token.user().id();
        lease.projectId = token.project().id();
        lease.trustId = UUID.randomUUID().toString().replace("-", "");
        lease.createdAt = now;
        lease.startDate = LeaseDates.parse(body.get("start_date"), "start_date");
        lease.endDate = LeaseDates.parse(body.get("end_date"), "end_date");
        if (lease.startDate.isBefore(LeaseDates.now())) {
            throw BlazarError.invalid("Start date must be later than current date");
        }
        checkDates(lease);
        if (body.get("reservations") instanceof List<?> requested) {
            for (Object item : requested) {
                lease.reservations.add(reservation(lease, item, now));
            }
        }
        addEvent(lease, "start_lease", lease.startDate, now);
        addEvent(lease, "end_lease", lease.endDate, now);
        Instant beforeEnd = beforeEnd(lease, body.get("before_end_date"));
        if (beforeEnd != null) {
            addEvent(lease, "before_end_lease", beforeEnd, now);
        }
        leases.save(lease);
        notifier.send(lease, "lease.create", "PENDING");
        return Response.status(201).entity(Map.of("lease", render(lease))).build();
    }

    @PUT
    @Path("{id}")
    public Map<String, Object> update(@HeaderParam("X-Auth-Token") String authToken, @PathParam("id") String id,
                                      Map<String, Object> body) {
        Lease lease = visibleLease(tokens.authenticate(authToken), id);
        Map<String, Object> changes = body == null ? Map.of() : body;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        synchronized (lease) {
            if (!List.of("PENDING", "ACTIVE").contains(lease.status)) {
                throw BlazarError.invalid("Lease " + id + " in status " + lease.status + " cannot be updated");
            }
            if (changes.get("name") instanceof String name) {
                lease.name = name;
            }
            if (changes.containsKey("start_date")) {
                if (!"PENDING".equals(lease.status)) {
                    throw BlazarError.invalid("Cannot modify the start date of already started leases");
                }
                lease.startDate = LeaseDates.parse(changes.get("start_date"), "start_date");
                lease.event("start_lease").ifPresent(e -> reschedule(e, lease.startDate, now));
            }
            if (changes.containsKey("end_date")) {
                lease.endDate = LeaseDates.parse(changes.get("end_date"), "end_date");
                lease.event("end_lease").ifPresent(e -> reschedule(e, lease.endDate, now));
            }
            checkDates(lease);
            if (changes.containsKey("end_date") || changes.containsKey("before_end_date")) {
                Instant beforeEnd = beforeEnd(lease, changes.get("before_end_date"));
                lease.event("before_end_lease").ifPresent(e -> reschedule(e, beforeEnd, now));
            }
            if (changes.get("reservations") instanceof List<?> updates) {
                for (Object item : updates) {
                    updateReservation(lease, item, now);
                }
            }
            lease.updatedAt = now;
        }
        notifier.send(lease, "lease.update", "UPDATING");
        return Map.of("lease", render(lease));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam("X-Auth-Token") String authToken, @PathParam("id") String id) {
        Lease lease = visibleLease(tokens.authenticate(authToken), id);
        leases.remove(lease.id);
        // Blazar sends lease.delete after destroying the row, from the lease it read before.
        notifier.send(lease, "lease.delete", "DELETING");
        return Response.ok().build();
    }

    private Lease visibleLease(Token token, String id) {
        return leases.find(id).filter(l -> visibleTo(l, token)).orElseThrow(() -> BlazarError.notFound(id));
    }

    private static boolean visibleTo(Lease lease, Token token) {
        return token.isAdmin() || lease.projectId.equals(token.project().id());
    }

    private static Map<String, Object> render(Lease lease) {
        synchronized (lease) {
            return LeaseJson.rest(lease);
        }
    }

    private static void checkDates(Lease lease) {
        if (!lease.startDate.isBefore(lease.endDate)) {
            throw BlazarError.invalid("Start date must be earlier than end date");
        }
    }

    private Instant beforeEnd(Lease lease, Object requested) {
        Instant beforeEnd;
        if (requested != null) {
            beforeEnd = LeaseDates.parse(requested, "before_end_date");
        } else if (minutesBeforeEnd > 0) {
            beforeEnd = lease.endDate.minus(Duration.ofMinutes(minutesBeforeEnd));
        } else {
            return null;
        }
        return beforeEnd.isBefore(lease.startDate) ? lease.startDate : beforeEnd;
    }

    private static void addEvent(Lease lease, String type, Instant time, Instant now) {
        Lease.Event event = new Lease.Event();
        event.id = UUID.randomUUID().toString();
        event.eventType = type;
        event.time = time;
        event.createdAt = now;
        lease.events.add(event);
    }

    private static void reschedule(Lease.Event event, Instant time, Instant now) {
        if (time != null && "UNDONE".equals(event.status)) {
            event.time = time;
            event.updatedAt = now;
        }
    }

    private static Lease.Reservation reservation(Lease lease, Object item, Instant now) {
        if (!(item instanceof Map<?, ?> spec) || !(spec.get("resource_type") instanceof String type)) {
            throw BlazarError.invalid("Missing parameter resource_type");
        }
        Lease.Reservation r = new Lease.Reservation();
        r.id = UUID.randomUUID().toString();
        r.resourceId = UUID.randomUUID().toString();
        r.resourceType = type;
        r.createdAt = now;
        spec.forEach((k, v) -> {
            if (!"resource_type".equals(k)) {
                r.attributes.put(String.valueOf(k), v);
            }
        });
        switch (type) {
            case "physical:host" -> {
                r.attributes.put("min", integer(spec.get("min"), "min"));
                r.attributes.put("max", integer(spec.get("max"), "max"));
                r.attributes.putIfAbsent("hypervisor_properties", "");
                r.attributes.putIfAbsent("resource_properties", "");
                r.attributes.putIfAbsent("before_end", "default");
                if (spec.containsKey("on_start")) {
                    checkOnStart(spec.get("on_start"));
                }
            }
            case "virtual:instance" -> {
                r.attributes.putIfAbsent("affinity", false);
                r.attributes.putIfAbsent("resource_properties", "");
                r.attributes.put("flavor_id", r.id);
                r.attributes.put("server_group_id", UUID.randomUUID().toString());
                r.attributes.put("aggregate_id", AGGREGATES.incrementAndGet());
            }
            default -> {
                // Other plugins (network, device) keep what they were given.
            }
        }
        return r;
    }

    private static void updateReservation(Lease lease, Object item, Instant now) {
        if (!(item instanceof Map<?, ?> spec)) {
            return;
        }
        Lease.Reservation r = lease.reservations.stream().filter(x -> x.id.equals(spec.get("id"))).findFirst()
                .orElseThrow(() -> BlazarError.invalid("Reservation " + spec.get("id") + " not found in lease"));
        spec.forEach((k, v) -> {
            if (!List.of("id", "resource_type").contains(k)) {
                r.attributes.put(String.valueOf(k), v);
            }
        });
        r.updatedAt = now;
    }

    private static int integer(Object value, String field) {
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw BlazarError.invalid("Missing parameter " + field);
        }
    }

    /** Chameleon's {@code _is_valid_on_start_option}. */
    private static void checkOnStart(Object value) {
        String onStart = value == null ? "" : value.toString();
        boolean valid = onStart.contains("orchestration")
                ? onStart.equals("orchestration") || UUID_PATTERN.matcher(onStart.substring(onStart.lastIndexOf(':') + 1)).matches()
                : ON_START_WORDS.contains(onStart);
        if (!valid) {
            throw BlazarError.invalid("Malformed parameter on_start");
        }
    }
}
