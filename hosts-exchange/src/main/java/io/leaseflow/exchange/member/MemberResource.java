package io.leaseflow.exchange.member;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.trace.GroupTrace;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.leaseflow.exchange.report.ReportIntake;
import io.smallrye.mutiny.Uni;

/** The agent protocol's write side: a member reports its outputs under its key. */
@Path("/v1/groups/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
public class MemberResource {

    public static final String MEMBER_SECRET_HEADER = "X-Member-Secret";

    private final ReportIntake intake;
    private final ExchangeConfig config;

    MemberResource(ReportIntake intake, ExchangeConfig config) {
        this.intake = intake;
        this.config = config;
    }

    /**
     * 201 with the member secret when this write claimed the key, 200 for later writes by its owner (also when
     * nothing changed). Answered once the partition owner decided; 202 (with the secret it would claim with) when
     * the write is durable in Kafka but no decision arrived within {@code leaseflow.exchange.decision-timeout}.
     */
    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> report(@PathParam("id") String id, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(MEMBER_SECRET_HEADER) String memberSecret, MemberReport report) {
        var groupId = GroupLookup.id(id);
        GroupTrace.ids(groupId.toString(), null);
        if (report == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A JSON body {\"outputs\": {...}} is required.");
        }
        report.validate(key, config.maxOutputBytes(), config.maxReportBytes());
        byte[] presented = memberSecret == null || memberSecret.isBlank() ? null : SecretTokens.hash(memberSecret);
        var write = new ReportIntake.Write(groupId, key, report.outputs(), 0, ExchangeReport.ReportVia.NATIVE,
                authorization, presented);
        return intake.submit(write, true).map(result -> {
            if (result.pending()) {
                return Response.accepted(new MemberReportAccepted(key, result.memberSecret(), null)).build();
            }
            var body = new MemberReportAccepted(key, result.memberSecret(),
                    result.groupStatus() == null ? null : io.leaseflow.exchange.group.GroupStatus.valueOf(
                            result.groupStatus()));
            return Response.status(result.outcome() == ExchangeEvent.Outcome.CLAIMED ? Response.Status.CREATED
                    : Response.Status.OK).entity(body).build();
        });
    }
}
