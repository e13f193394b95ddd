package io.leaseflow.sim.keystone;

import io.leaseflow.sim.OpenStackTimes;
import io.leaseflow.sim.PublicUrl;
import io.leaseflow.sim.keystone.IdentityDirectory.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Keystone {@code OS-TRUST} trusts: how Blazar, and leaseflow, act for the lease owner later on. */
@Path("/identity/v3/OS-TRUST/trusts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrustResource {

    /** Keystone's {@code [trust] max_redelegation_count} default. */
    private static final int MAX_REDELEGATION_COUNT = 3;

    private final TokenStore tokens;
    private final TrustStore trusts;
    private final IdentityDirectory directory;
    private final PublicUrl publicUrl;

    public TrustResource(TokenStore tokens, TrustStore trusts, IdentityDirectory directory, PublicUrl publicUrl) {
        this.tokens = tokens;
        this.trusts = trusts;
        this.directory = directory;
        this.publicUrl = publicUrl;
    }

    @POST
    public Response create(@HeaderParam("X-Auth-Token") String authToken, Map<String, Object> body,
                           @Context UriInfo uriInfo) {
        Token token = tokens.authenticate(authToken);
        if (!(body != null && body.get("trust") instanceof Map<?, ?> spec)) {
            throw KeystoneError.badRequest("Invalid input for field 'trust'.");
        }
        String trustorId = String.valueOf(spec.get("trustor_user_id"));
        if (!trustorId.equals(token.user().id())) {
            throw KeystoneError.forbidden("The authenticated user should match the trustor.");
        }
        String trusteeId = String.valueOf(spec.get("trustee_user_id"));
        directory.userById(trusteeId).orElseThrow(() -> KeystoneError.notFound("Could not find user: " + trusteeId + "."));
        String projectId = spec.get("project_id") == null ? token.project().id() : String.valueOf(spec.get("project_id"));
        if (!projectId.equals(token.project().id())) {
            throw KeystoneError.forbidden("You are not authorized to perform the requested action.");
        }
        if (!(spec.get("impersonation") instanceof Boolean impersonation)) {
            throw KeystoneError.badRequest("'impersonation' is a required property.");
        }
        List<Role> roles = delegatedRoles(token, spec.get("roles"));
        boolean redelegation = Boolean.TRUE.equals(spec.get("allow_redelegation"))
                || spec.get("redelegation_count") instanceof Number n && n.intValue() > 0;
        int redelegationCount = spec.get("redelegation_count") instanceof Number n ? n.intValue()
                : redelegation ? MAX_REDELEGATION_COUNT : 0;
        Integer remainingUses = spec.get("remaining_uses") instanceof Number n ? n.intValue() : null;
        Trust trust = new Trust(UUID.randomUUID().toString().replace("-", ""), trustorId, trusteeId, projectId,
                impersonation, roles, expiresAt(spec.get("expires_at")), redelegation, redelegationCount, remainingUses);
        trusts.save(trust);
        return Response.status(201).entity(Map.of("trust", render(trust, uriInfo))).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> show(@HeaderParam("X-Auth-Token") String authToken, @PathParam("id") String id,
                                    @Context UriInfo uriInfo) {
        Token token = tokens.authenticate(authToken);
        Trust trust = visibleTrust(token, id);
        return Map.of("trust", render(trust, uriInfo));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam("X-Auth-Token") String authToken, @PathParam("id") String id) {
        Token token = tokens.authenticate(authToken);
        Trust trust = visibleTrust(token, id);
        if (!token.isAdmin() && !trust.trustorUserId().equals(token.user().id())) {
            throw KeystoneError.forbidden("Only the trustor may delete a trust.");
        }
        trusts.delete(id);
        return Response.noContent().build();
    }

    private Trust visibleTrust(Token token, String id) {
        Trust trust = trusts.find(id).orElseThrow(() -> KeystoneError.notFound("Could not find trust: " + id + "."));
        String me = token.authenticatedUser().id();
        if (!token.isAdmin() && !me.equals(trust.trustorUserId()) && !me.equals(trust.trusteeUserId())) {
            throw KeystoneError.forbidden("You are not authorized to perform the requested action.");
        }
        return trust;
    }

    private static List<Role> delegatedRoles(Token token, Object requested) {
        List<Role> roles = new ArrayList<>();
        if (requested instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> ref = item instanceof Map<?, ?> m ? m : Map.of();
                Role role = token.roles().stream()
                        .filter(r -> r.id().equals(ref.get("id")) || r.name().equals(ref.get("name")))
                        .findFirst()
                        .orElseThrow(() -> KeystoneError.forbidden("Trustor does not hold the role " + ref + "."));
                roles.add(role);
            }
        }
        return roles;
    }

    private static Instant expiresAt(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            throw KeystoneError.badRequest("Invalid input for field 'expires_at'.");
        }
    }

    private Map<String, Object> render(Trust trust, UriInfo uriInfo) {
        String identity = publicUrl.identity(uriInfo);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("roles", trust.roles().stream().map(r -> {
            Map<String, Object> role = TokenBody.role(r, true);
            role.put("links", Map.of("self", identity + "/roles/" + r.id()));
            return role;
        }).toList());
        json.put("id", trust.id());
        json.put("trustor_user_id", trust.trustorUserId());
        json.put("trustee_user_id", trust.trusteeUserId());
        json.put("project_id", trust.projectId());
        json.put("impersonation", trust.impersonation());
        json.put("expires_at", OpenStackTimes.format(trust.expiresAt(), OpenStackTimes.KEYSTONE));
        json.put("remaining_uses", trust.remainingUses());
        json.put("deleted_at", null);
        json.put("redelegated_trust_id", null);
        json.put("redelegation_count", trust.redelegationCount());
        Map<String, Object> rolesLinks = new LinkedHashMap<>();
        rolesLinks.put("self", identity + "/" + trust.id() + "/roles");
        rolesLinks.put("next", null);
        rolesLinks.put("previous", null);
        json.put("roles_links", rolesLinks);
        json.put("links", Map.of("self", identity + "/OS-TRUST/trusts/" + trust.id()));
        return json;
    }
}
