package io.leaseflow.sim.keystone;

import io.leaseflow.sim.PublicUrl;
import io.leaseflow.sim.keystone.IdentityDirectory.Project;
import io.leaseflow.sim.keystone.IdentityDirectory.User;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;

/** Keystone v3 {@code /auth/tokens}: password, token and trust-scoped authentication, and validation. */
@Path("/identity/v3/auth/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeystoneTokenResource {

    private final IdentityDirectory directory;
    private final TokenStore tokens;
    private final TrustStore trusts;
    private final TokenBody tokenBody;
    private final PublicUrl publicUrl;

    public KeystoneTokenResource(IdentityDirectory directory, TokenStore tokens, TrustStore trusts, TokenBody tokenBody,
                                 PublicUrl publicUrl) {
        this.directory = directory;
        this.tokens = tokens;
        this.trusts = trusts;
        this.tokenBody = tokenBody;
        this.publicUrl = publicUrl;
    }

    @POST
    public Response authenticate(Map<String, Object> body, @QueryParam("nocatalog") String nocatalog,
                                 @Context UriInfo uriInfo) {
        Map<?, ?> auth = map(body == null ? null : body.get("auth"));
        Map<?, ?> identity = map(auth.get("identity"));
        List<?> methods = identity.get("methods") instanceof List<?> l ? l : List.of();
        User authenticated = authenticatedUser(identity, methods);
        Token token = scope(authenticated, map(auth.get("scope")), methods.stream().map(String::valueOf).toList());
        return Response.status(201)
                .header("X-Subject-Token", token.id())
                .entity(tokenBody.render(token, publicUrl.base(uriInfo), nocatalog == null))
                .build();
    }

    @GET
    public Response validate(@HeaderParam("X-Auth-Token") String authToken,
                             @HeaderParam("X-Subject-Token") String subjectToken,
                             @QueryParam("nocatalog") String nocatalog, @Context UriInfo uriInfo) {
        tokens.authenticate(authToken);
        Token subject = tokens.find(subjectToken)
                .orElseThrow(() -> KeystoneError.notFound("Could not find token: " + subjectToken + "."));
        return Response.ok(tokenBody.render(subject, publicUrl.base(uriInfo), nocatalog == null))
                .header("X-Subject-Token", subject.id())
                .build();
    }

    @DELETE
    public Response revoke(@HeaderParam("X-Auth-Token") String authToken,
                           @HeaderParam("X-Subject-Token") String subjectToken) {
        tokens.authenticate(authToken);
        if (!tokens.revoke(subjectToken)) {
            throw KeystoneError.notFound("Could not find token: " + subjectToken + ".");
        }
        return Response.noContent().build();
    }

    private User authenticatedUser(Map<?, ?> identity, List<?> methods) {
        if (methods.contains("password")) {
            Map<?, ?> userSpec = map(map(identity.get("password")).get("user"));
            User user = directory.findUser(userSpec).orElseThrow(KeystoneError::unauthorized);
            if (!user.password().equals(userSpec.get("password"))) {
                throw KeystoneError.unauthorized();
            }
            return user;
        }
        if (methods.contains("token")) {
            Token source = tokens.find(String.valueOf(map(identity.get("token")).get("id")))
                    .orElseThrow(KeystoneError::unauthorized);
            if (source.trust() != null) {
                throw KeystoneError.forbidden("Trust-scoped tokens cannot be rescoped.");
            }
            return source.user();
        }
        throw KeystoneError.unauthorized();
    }

    private Token scope(User user, Map<?, ?> scope, List<String> methods) {
        if (scope.get("OS-TRUST:trust") instanceof Map<?, ?> trustSpec) {
            // A deleted trust looks like bad credentials to the trustee, as on real Keystone.
            Trust trust = trusts.find(String.valueOf(trustSpec.get("id"))).orElseThrow(KeystoneError::unauthorized);
            if (!trust.trusteeUserId().equals(user.id())) {
                throw KeystoneError.forbidden("You are not authorized to perform the requested action.");
            }
            User trustor = directory.userById(trust.trustorUserId()).orElseThrow(KeystoneError::unauthorized);
            Project project = directory.projectById(trust.projectId()).orElseThrow(KeystoneError::unauthorized);
            User actingAs = trust.impersonation() ? trustor : user;
            return tokens.issue(actingAs, user, project, trust.roles(), methods, trust);
        }
        Project project = user.project();
        if (scope.get("project") instanceof Map<?, ?> projectSpec) {
            project = directory.findProject(projectSpec).orElseThrow(KeystoneError::unauthorized);
            if (!project.equals(user.project())) {
                throw KeystoneError.unauthorized();
            }
        }
        return tokens.issue(user, user, project, user.roles(), methods, null);
    }

    private static Map<?, ?> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw KeystoneError.badRequest("Invalid input for field 'auth'.");
    }
}
