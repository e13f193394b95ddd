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

import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;

/** The agent protocol's write side: a member reports its outputs under its key. */
@Path("/v1/groups/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
public class MemberResource {

    public static final String MEMBER_SECRET_HEADER = "X-Member-Secret";

    private final MemberReportService reports;
    private final ExchangeConfig config;

    MemberResource(MemberReportService reports, ExchangeConfig config) {
        this.reports = reports;
        this.config = config;
    }

    /** 201 with the member secret when this write claimed the key, 200 for later writes by its owner. */
    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> report(@PathParam("id") String id, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(MEMBER_SECRET_HEADER) String memberSecret, MemberReport report) {
        var groupId = GroupLookup.id(id);
        if (report == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A JSON body {\"outputs\": {...}} is required.");
        }
        report.validate(key, config.maxOutputBytes());
        return reports.report(groupId, key, authorization, memberSecret, report).map(outcome -> {
            var body = new MemberReportAccepted(outcome.key(), outcome.memberSecret(), outcome.groupStatus());
            return Response.status(outcome.claimed() ? Response.Status.CREATED : Response.Status.OK).entity(body)
                    .build();
        });
    }
}
