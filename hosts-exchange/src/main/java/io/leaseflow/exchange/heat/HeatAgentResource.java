package io.leaseflow.exchange.heat;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupResource;
import io.leaseflow.exchange.group.GroupStatus;
import io.leaseflow.exchange.member.MemberReport;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.leaseflow.exchange.report.ReportIntake;
import io.smallrye.mutiny.Uni;

/**
 * What unmodified Heat agents talk to, at a capability URL ({@code /v1/heat/{token}}): os-collect-config's
 * {@code request} collector polls the metadata with HEAD then GET and no credentials, heat-config-notify signals
 * each deployment's result with PUT (retried) or POST. Never answers 304 (the collector treats it as bad JSON), sets
 * neither ETag nor Last-Modified, and ignores conditional headers.
 */
@Path("/v1/heat/{token}")
public class HeatAgentResource {

    static final String SIGNAL_EXPORT = "export";
    static final String SIGNAL_POPULATE = "populate";

    private final HeatMembers heatMembers;
    private final ReportIntake intake;
    private final ExchangeConfig config;
    private final ObjectMapper json;

    HeatAgentResource(HeatMembers heatMembers, ReportIntake intake, ExchangeConfig config, ObjectMapper json) {
        this.heatMembers = heatMembers;
        this.intake = intake;
        this.config = config;
        this.json = json;
    }

    static String metadataUrl(String base, String token) {
        return base + "/v1/heat/" + token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> metadata(@PathParam("token") String token, @Context UriInfo uriInfo) {
        String base = GroupResource.baseUrl(config, uriInfo);
        return resolve(token).chain(cap -> {
            boolean populate = cap.status() == GroupStatus.COMPLETE || cap.status() == GroupStatus.PARTIAL;
            Uni<Map<String, Map<String, String>>> aggregate = populate
                    ? heatMembers.aggregate(cap.groupId(), cap.outputs())
                    : Uni.createFrom().nullItem();
            return aggregate.map(values -> {
                String metadataUrl = metadataUrl(base, token);
                var urls = new HeatMetadata.Urls(metadataUrl, metadataUrl + "/signal/" + SIGNAL_EXPORT,
                        metadataUrl + "/signal/" + SIGNAL_POPULATE);
                int interval = cap.status().isOpen() ? config.heat().openPollingInterval()
                        : config.heat().closedPollingInterval();
                return noStore(Response.ok(HeatMetadata.build(json, cap, urls, values, interval),
                        MediaType.APPLICATION_JSON_TYPE));
            });
        });
    }

    /** The collector HEADs before every GET; same status as the GET, no body. */
    @HEAD
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> head(@PathParam("token") String token) {
        return resolve(token).map(cap -> noStore(Response.ok().type(MediaType.APPLICATION_JSON_TYPE)));
    }

    /** heat-config-notify with {@code deploy_signal_verb=PUT}; retried by the agent, so idempotent. */
    @PUT
    @Path("/signal/{phase}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> signalPut(@PathParam("token") String token, @PathParam("phase") String phase,
            byte[] body) {
        return signal(token, phase, body);
    }

    /** heat-config-notify's default verb; the agent never retries a POST. */
    @POST
    @Path("/signal/{phase}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> signalPost(@PathParam("token") String token, @PathParam("phase") String phase,
            byte[] body) {
        return signal(token, phase, body);
    }

    private Uni<Response> signal(String token, String phase, byte[] body) {
        if (!SIGNAL_EXPORT.equals(phase) && !SIGNAL_POPULATE.equals(phase)) {
            throw new ProblemException(ProblemType.CAPABILITY_NOT_FOUND, "No signal '" + phase + "'.");
        }
        JsonNode signal = parse(body);
        int statusCode = statusCode(signal.get("deploy_status_code"));
        return resolve(token).chain(cap -> {
            if (SIGNAL_POPULATE.equals(phase)) {
                return heatMembers.populateSignalled(cap.tokenHash(), statusCode)
                        .map(done -> signalled("recorded"));
            }
            Map<String, String> outputs = new HashMap<>();
            for (String output : cap.outputs()) {
                JsonNode value = signal.get(output);
                if (value != null && !value.isNull()) {
                    outputs.put(output, value.isTextual() ? value.textValue() : value.toString());
                }
            }
            MemberReport.checkValues(outputs, config.maxOutputBytes(), config.maxReportBytes());
            var write = new ReportIntake.Write(cap.groupId(), cap.key(), outputs, statusCode,
                    ExchangeReport.ReportVia.HEAT_SIGNAL, null, cap.tokenHash());
            // Answered once the report is durable in Kafka: the agent needs no decision, only a fast 2xx.
            return intake.submit(write, false)
                    .map(result -> signalled(result.pending() ? "accepted" : result.outcome().name().toLowerCase()));
        });
    }

    private Response signalled(String result) {
        return noStore(Response.ok(json.createObjectNode().put("result", result), MediaType.APPLICATION_JSON_TYPE));
    }

    /** Parsed from the bytes, so that invalid UTF-8 is refused instead of turned into replacement characters. */
    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST,
                        "The signal body must be a JSON object (heat-config-notify's signal data).");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The signal body is not readable JSON.");
        }
    }

    /** heat-config-notify sends an integer; tolerate a numeric string, as Heat's {@code str(code) != '0'} does. */
    static int statusCode(JsonNode code) {
        if (code == null || code.isNull()) {
            return 0;
        }
        if (code.canConvertToInt()) {
            return code.intValue();
        }
        try {
            return Integer.parseInt(code.asText().trim());
        } catch (NumberFormatException e) {
            return code.asText().isBlank() ? 0 : 1;
        }
    }

    private Uni<HeatMembers.Capability> resolve(String token) {
        if (token == null || token.length() < 20 || token.length() > 128) {
            return Uni.createFrom().failure(notFound());
        }
        return heatMembers.resolve(SecretTokens.hash(token)).onItem().ifNull().failWith(HeatAgentResource::notFound);
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.CAPABILITY_NOT_FOUND, "Unknown or revoked capability URL.");
    }

    private static Response noStore(Response.ResponseBuilder builder) {
        return builder.header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
