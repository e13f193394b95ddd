package io.leaseflow.sim.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leaseflow.sim.blazar.BlazarError;
import io.leaseflow.sim.heat.HeatFault;
import io.leaseflow.sim.keystone.KeystoneErrorMapper;
import io.leaseflow.sim.keystone.Token;
import io.leaseflow.sim.keystone.TokenStore;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Records every OpenStack call for the control API and answers it with an injected fault when one is armed. */
public class OpenStackTrafficFilter {

    private static final String RECORD = "sim.recorded-request";
    private static final String SERVICE = "sim.service";

    private final RequestLog log;
    private final FaultInjector faults;
    private final TokenStore tokens;
    private final ObjectMapper mapper;

    public OpenStackTrafficFilter(RequestLog log, FaultInjector faults, TokenStore tokens, ObjectMapper mapper) {
        this.log = log;
        this.faults = faults;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    @ServerRequestFilter
    public Uni<Response> record(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        String service = serviceOf(path);
        if (service == null) {
            return Uni.createFrom().nullItem();
        }
        Object body = readBody(ctx);
        Optional<Token> token = tokens.peek(ctx.getHeaderString("X-Auth-Token"));
        RecordedRequest recorded = new RecordedRequest(service, ctx.getMethod(), path,
                ctx.getUriInfo().getRequestUri().getRawQuery(), body, Instant.now(),
                token.map(t -> t.user().name()).orElse(null), token.map(t -> t.user().id()).orElse(null),
                token.map(t -> t.trust() == null ? null : t.trust().id()).orElse(null),
                ctx.getHeaderString("traceparent"));
        log.add(recorded);
        ctx.setProperty(RECORD, recorded);
        ctx.setProperty(SERVICE, service);
        Optional<FaultInjector.Fault> fault = faults.take(service, ctx.getMethod(), path);
        if (fault.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        FaultInjector.Fault armed = fault.get();
        Uni<Response> answer = Uni.createFrom().item(() -> armed.status() == 0 ? null : fault(service, armed.status()));
        return armed.delayMillis() <= 0 ? answer
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(armed.delayMillis()))
                        .replaceWith(answer);
    }

    @ServerResponseFilter
    public void complete(ContainerRequestContext request, ContainerResponseContext response) {
        String requestId = "req-" + UUID.randomUUID();
        if (request.getProperty(RECORD) instanceof RecordedRequest recorded) {
            recorded.status = response.getStatus();
            recorded.requestId = requestId;
        }
        if (request.getProperty(SERVICE) instanceof String service) {
            // Heat and Keystone spell this header differently on the wire.
            String header = "heat".equals(service) ? "X-Openstack-Request-Id" : "x-openstack-request-id";
            response.getHeaders().putSingle(header, requestId);
        }
    }

    static String serviceOf(String path) {
        if (path.startsWith("/identity")) {
            return "keystone";
        }
        if (path.startsWith("/reservation")) {
            return "blazar";
        }
        if (path.startsWith("/orchestration")) {
            return "heat";
        }
        return null;
    }

    private Object readBody(ContainerRequestContext ctx) {
        if (!ctx.hasEntity()) {
            return null;
        }
        try {
            byte[] bytes = ctx.getEntityStream().readAllBytes();
            ctx.setEntityStream(new ByteArrayInputStream(bytes));
            if (bytes.length == 0) {
                return null;
            }
            try {
                Object json = mapper.readValue(bytes, Object.class);
                return redactPasswords(json);
            } catch (IOException notJson) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tests see that a password was sent, never its value. */
    @SuppressWarnings("unchecked")
    private static Object redactPasswords(Object json) {
        if (json instanceof java.util.Map<?, ?> map) {
            java.util.Map<String, Object> m = (java.util.Map<String, Object>) map;
            m.replaceAll((k, v) -> "password".equals(k) && v instanceof String ? "***" : redactPasswords(v));
        } else if (json instanceof java.util.List<?> list) {
            list.forEach(OpenStackTrafficFilter::redactPasswords);
        }
        return json;
    }

    private static Response fault(String service, int status) {
        String message = "Fault injected by the simulator";
        Object body = switch (service) {
            case "heat" -> HeatFault.body(status, "HTTP" + reason(status).replace(" ", ""), message);
            case "blazar" -> BlazarError.body(status, message);
            default -> KeystoneErrorMapper.body(status, reason(status), message);
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static String reason(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "Error" : s.getReasonPhrase();
    }
}
