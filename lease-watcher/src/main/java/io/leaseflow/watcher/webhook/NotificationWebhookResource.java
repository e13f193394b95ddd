package io.leaseflow.watcher.webhook;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.notification.IntakeOutcome;
import io.leaseflow.watcher.notification.MalformedNotificationException;
import io.leaseflow.watcher.notification.NotificationIntake;
import io.leaseflow.watcher.notification.OsloEnvelopeParser;
import io.leaseflow.watcher.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v1/notifications}: Blazar's notification envelope over HTTP, for clouds where only HTTP reaches
 * leaseflow. 202 once the fact is on Kafka (or deferred, or known already); 400 with the reason if unreadable; 422
 * when readable but dead-lettered (the reason is on the dead-letter record).
 */
@Path("/v1/notifications")
public class NotificationWebhookResource {
    private final WebhookAuthenticator auth;
    private final OsloEnvelopeParser parser;
    private final NotificationIntake intake;

    public NotificationWebhookResource(WebhookAuthenticator auth, OsloEnvelopeParser parser, NotificationIntake intake) {
        this.auth = auth;
        this.parser = parser;
        this.intake = intake;
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String keystoneToken, byte[] body) {
        return auth.authenticate(authorization, keystoneToken).flatMap(ok -> {
            try {
                parser.parse(body);
            } catch (MalformedNotificationException e) {
                throw new ProblemException(400, "invalid-notification", "Invalid notification", e.getMessage());
            }
            return intake.accept(body, ObservedVia.WEBHOOK);
        }).map(outcome -> {
            if (outcome == IntakeOutcome.DEAD_LETTERED) {
                // Readable, but not a lease fact leaseflow can use (e.g. a lease Blazar does not know).
                throw new ProblemException(422, "notification-dead-lettered", "Notification dead-lettered",
                        "the notification was kept on the dead-letter topic with the reason in its headers");
            }
            return Response.status(202).entity(Map.of("outcome", outcome.name().toLowerCase())).build();
        });
    }
}
