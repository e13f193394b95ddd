package io.leaseflow.launcher.exchange;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanTransitions;
import io.smallrye.mutiny.Uni;

/**
 * The hosts-exchange group of a launch: created before the Heat call and stored in the plan first (a retry, a
 * redelivered start or recovery finds it there and never creates a second one), deleted at lease end. Transient
 * failures are retried briefly, like the Keystone call; then the launch fails, since instances that cannot
 * rendezvous are not worth starting. The join token never reaches a log line, a view or a transition's reason.
 */
@ApplicationScoped
public class ExchangeGroups {
    private static final Logger LOG = Logger.getLogger(ExchangeGroups.class);
    /** hosts-exchange accepts lease ids of this shape; Blazar's are UUIDs. */
    private static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ExchangeGroupApi api;
    private final PlanTransitions transitions;

    public ExchangeGroups(@RestClient ExchangeGroupApi api, PlanTransitions transitions) {
        this.api = api;
        this.transitions = transitions;
    }

    /**
     * The plan's group, created now if it has none yet; nothing for a plan without an exchange. The group's id and
     * join token are chosen here and stored in the plan before hosts-exchange is called, and the call is an
     * idempotent {@code PUT}: a retry after a timeout or a 5xx, a redelivered start or recovery after a crash finds
     * the same group, never a second one.
     */
    public Uni<Void> ensureGroup(LaunchPlan plan) {
        if (!plan.hasExchange() || plan.exchangeUrl != null) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chosen = Uni.createFrom().voidItem();
        if (plan.exchangeGroupId == null || plan.exchangeToken == null) {
            plan.exchangeGroupId = UUID.randomUUID().toString();
            plan.exchangeToken = newToken();
            chosen = transitions.update(plan, "exchangeGroupId", "exchangeToken");
        }
        ExchangeSpec spec = ExchangeSpec.of(plan);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", plan.stackName);
        body.put("size", spec.size());
        spec.outputs().forEach(body.putArray("outputs")::add);
        body.put("timeout_s", spec.timeoutSeconds());
        body.put("on_timeout", spec.onTimeout());
        if (plan.leaseId != null && LEASE_ID.matcher(plan.leaseId).matches()) {
            body.put("lease_id", plan.leaseId);
        }
        String id = plan.exchangeGroupId;
        String bearer = "Bearer " + plan.exchangeToken;
        return chosen.chain(() -> Uni.createFrom().deferred(() -> api.createWithId(id, bearer, body))
                .ifNoItem().after(CALL_TIMEOUT).fail()
                .onFailure(ExchangeGroups::worthRetrying).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).withJitter(0.5).atMost(3)
                .onFailure().transform(ExchangeGroups::failure))
                .flatMap(created -> {
                    JsonNode group = created.getEntity();
                    String inputs = group == null ? "" : group.path("urls").path("inputs").asText("");
                    if (!id.equals(group == null ? null : group.path("id").asText(null)) || !inputs.endsWith("/inputs")) {
                        throw new ExchangeFailure("hosts-exchange answered " + created.getStatus()
                                + " without the group and its URLs; the stack was not launched");
                    }
                    // The agent's GROUP_URL: https://<exchange>/v1/groups/<id> (it appends /members/<key>, /inputs).
                    plan.exchangeUrl = inputs.substring(0, inputs.length() - "/inputs".length());
                    return transitions.update(plan, "exchangeUrl")
                            .invoke(() -> LOG.infof("plan=%s lease=%s group=%s hosts-exchange group of %d %s", plan.id,
                                    plan.leaseId, id, spec.size(), created.getStatus() == 201 ? "created"
                                            : "confirmed (created by an earlier attempt)"));
                });
    }

    /** 32 random bytes, base64url: what hosts-exchange itself would generate. */
    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stack parameters that point the instances at the plan's group (empty without one). */
    public static Map<String, String> parameters(LaunchPlan plan) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (plan.hasExchange() && plan.exchangeUrl != null) {
            parameters.put(ExchangeSpec.URL_PARAMETER, plan.exchangeUrl);
            parameters.put(ExchangeSpec.TOKEN_PARAMETER, plan.exchangeToken);
        }
        return parameters;
    }

    /**
     * Lease end: deletes the plan's group, best effort (404: already gone), then forgets the join token. A group left
     * behind when hosts-exchange is away closes at its own deadline.
     */
    public Uni<Void> deleteGroup(LaunchPlan plan) {
        if (plan.exchangeGroupId == null || plan.exchangeToken == null) {
            return Uni.createFrom().voidItem();
        }
        String groupId = plan.exchangeGroupId;
        return Uni.createFrom().deferred(() -> api.delete(groupId, "Bearer " + plan.exchangeToken))
                .ifNoItem().after(CALL_TIMEOUT).fail()
                .onFailure(ExchangeGroups::worthRetrying).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(2)
                .map(RestResponse::getStatus)
                .onFailure(WebApplicationException.class).recoverWithItem(f -> ((WebApplicationException) f)
                        .getResponse().getStatus())
                .invoke(status -> {
                    if (status / 100 == 2 || status == 404) {
                        LOG.infof("plan=%s lease=%s group=%s hosts-exchange group deleted at lease end%s", plan.id,
                                plan.leaseId, groupId, status == 404 ? " (already gone)" : "");
                    } else {
                        LOG.warnf("plan=%s lease=%s group=%s hosts-exchange refused the delete (HTTP %d); the group "
                                + "closes at its deadline", plan.id, plan.leaseId, groupId, status);
                    }
                })
                .onFailure().invoke(f -> LOG.warnf("plan=%s lease=%s group=%s hosts-exchange group not deleted: %s",
                        plan.id, plan.leaseId, groupId, f.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .flatMap(x -> {
                    plan.exchangeToken = null;
                    return transitions.update(plan, "exchangeToken");
                });
    }

    /** Connection trouble, a timeout, 5xx, 408 or 429: worth another try. */
    private static boolean worthRetrying(Throwable f) {
        if (f instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return status / 100 == 5 || status == 408 || status == 429;
        }
        return true;
    }

    private static ExchangeFailure failure(Throwable f) {
        if (f instanceof ExchangeFailure e) {
            return e;
        }
        if (f instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            String detail = problemText(w);
            return new ExchangeFailure("hosts-exchange " + (status / 100 == 4 ? "refused" : "failed to create")
                    + " the group for the stack's instances (HTTP " + status + (detail.isEmpty() ? "" : ": " + detail)
                    + "); the stack was not launched");
        }
        return new ExchangeFailure("hosts-exchange unreachable (" + f.getClass().getSimpleName()
                + "): no group for the stack's instances to meet in; the stack was not launched");
    }

    /** hosts-exchange's problem title and detail (about our request: no secret in them). */
    private static String problemText(WebApplicationException w) {
        try {
            JsonNode problem = w.getResponse().readEntity(JsonNode.class);
            String text = (problem.path("title").asText("") + " " + problem.path("detail").asText("")).trim();
            return text.length() > 300 ? text.substring(0, 300) : text;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** hosts-exchange would not give the launch a group. */
    public static class ExchangeFailure extends RuntimeException {
        public ExchangeFailure(String message) {
            super(message);
        }
    }
}
