package io.leaseflow.sim.heat;

import io.leaseflow.sim.PublicUrl;
import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.keystone.Token;
import io.leaseflow.sim.keystone.TokenStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Heat v1 stacks, with the behaviours observed on Heat 19 (§9.3) and Chameleon's {@code initialize}. */
@Path("/orchestration/v1/{project_id}")
@Consumes(MediaType.APPLICATION_JSON)
public class HeatStackResource {

    private static final String ACCEPTED_HTML = "<html>\n <head>\n  <title>202 Accepted</title>\n </head>\n <body>\n"
            + "  <h1>202 Accepted</h1>\n  The request is accepted for processing.<br /><br />\n\n\n\n </body>\n</html>";

    private final TokenStore tokens;
    private final StackStore stacks;
    private final StackActions actions;
    private final PublicUrl publicUrl;
    private final SimConfig.Heat config;

    public HeatStackResource(TokenStore tokens, StackStore stacks, StackActions actions, PublicUrl publicUrl,
                             SimConfig config) {
        this.tokens = tokens;
        this.stacks = stacks;
        this.actions = actions;
        this.publicUrl = publicUrl;
        this.config = config.heat();
    }

    @POST
    @Path("stacks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                           Map<String, Object> body, @Context UriInfo uriInfo) {
        Token token = authorize(authToken, projectId);
        if (token.trust() != null && !token.trust().allowRedelegation()) {
            // heat-engine tries to create its own trust from a trust-scoped token and Keystone refuses.
            throw new HeatFault(500, "RemoteError", null);
        }
        Map<String, Object> request = body == null ? Map.of() : body;
        if (!(request.get("stack_name") instanceof String name) || name.isBlank()) {
            throw HeatFault.badRequest("HTTPBadRequest", "No stack name specified");
        }
        if (stacks.live(projectId, name).isPresent()) {
            throw new HeatFault(409, "StackExists", "The Stack (" + name + ") already exists.");
        }
        HeatTemplate template = HeatTemplate.parse(request.get("template"));
        Map<String, Object> parameters = parameters(request);
        template.checkUserParameters(parameters);
        template.checkConditions(parameters);

        Stack stack = new Stack();
        stack.id = UUID.randomUUID().toString();
        stack.name = name;
        stack.projectId = projectId;
        stack.owner = token.user().name();
        stack.stackUserProjectId = UUID.randomUUID().toString().replace("-", "");
        stack.template = template;
        stack.userParameters.putAll(parameters);
        stack.creationTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        applyOptions(stack, request);
        synchronized (stack) {
            if (config.initializeSupported() && Boolean.parseBoolean(String.valueOf(request.get("initialize")))) {
                // Chameleon's fork: stored only, no resource created, no reason text.
                stack.action = "INIT";
                stack.status = "COMPLETE";
                stack.reason = "";
            } else {
                actions.start(stack, "CREATE");
            }
            stacks.save(stack);
        }
        String href = StackJson.href(publicUrl.base(uriInfo), stack);
        return Response.status(201).location(URI.create(href))
                .entity(StackJson.created(publicUrl.base(uriInfo), stack)).build();
    }

    @GET
    @Path("stacks")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list(@PathParam("project_id") String projectId,
                                    @HeaderParam("X-Auth-Token") String authToken,
                                    @QueryParam("name") String name, @QueryParam("stack_name") String stackName,
                                    @QueryParam("id") String id, @QueryParam("status") String status,
                                    @QueryParam("action") String action, @QueryParam("tags") String tags,
                                    @QueryParam("tags_any") String tagsAny, @Context UriInfo uriInfo) {
        authorize(authToken, projectId);
        String base = publicUrl.base(uriInfo);
        String wantedName = name != null ? name : stackName;
        List<Map<String, Object>> found = stacks.all().stream()
                .filter(s -> s.projectId.equals(projectId) && !s.deleted)
                .filter(s -> wantedName == null || s.name.equals(wantedName))
                .filter(s -> id == null || s.id.equals(id))
                .filter(s -> status == null || status.equals(s.stackStatus()) || status.equals(s.status))
                .filter(s -> action == null || action.equals(s.action))
                .filter(s -> tags == null || s.tags.containsAll(split(tags)))
                .filter(s -> tagsAny == null || split(tagsAny).stream().anyMatch(s.tags::contains))
                .sorted(Comparator.comparing((Stack s) -> s.creationTime).reversed())
                .map(s -> StackJson.listItem(base, s))
                .toList();
        return Map.of("stacks", found);
    }

    @GET
    @Path("stacks/{name_or_id}")
    public Response findByName(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                               @PathParam("name_or_id") String nameOrId, @Context UriInfo uriInfo) {
        return redirect(projectId, authToken, nameOrId, uriInfo);
    }

    /** Heat answers 302 and updates nothing: the client must repeat the PATCH at the Location (§9.3). */
    @PATCH
    @Path("stacks/{name_or_id}")
    public Response patchByName(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                                @PathParam("name_or_id") String nameOrId, @Context UriInfo uriInfo) {
        return redirect(projectId, authToken, nameOrId, uriInfo);
    }

    @PUT
    @Path("stacks/{name_or_id}")
    public Response putByName(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                              @PathParam("name_or_id") String nameOrId, @Context UriInfo uriInfo) {
        return redirect(projectId, authToken, nameOrId, uriInfo);
    }

    @DELETE
    @Path("stacks/{name_or_id}")
    public Response deleteByName(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                                 @PathParam("name_or_id") String nameOrId, @Context UriInfo uriInfo) {
        return redirect(projectId, authToken, nameOrId, uriInfo);
    }

    @GET
    @Path("stacks/{name}/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> show(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                                    @PathParam("name") String name, @PathParam("id") String id, @Context UriInfo uriInfo) {
        authorize(authToken, projectId);
        // A deleted stack is still shown by id, as DELETE_COMPLETE.
        Stack stack = stacks.byId(id).filter(s -> s.projectId.equals(projectId) && s.name.equals(name))
                .orElseThrow(() -> HeatFault.stackNotFound(name));
        return Map.of("stack", StackJson.show(publicUrl.base(uriInfo), stack));
    }

    @GET
    @Path("stacks/{name}/{id}/outputs/{key}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> output(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                                      @PathParam("name") String name, @PathParam("id") String id,
                                      @PathParam("key") String key, @Context UriInfo uriInfo) {
        authorize(authToken, projectId);
        return StackJson.output(publicUrl.base(uriInfo), liveStack(projectId, name, id), key);
    }

    @GET
    @Path("stacks/{name}/{id}/resources")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resources(@PathParam("project_id") String projectId,
                                         @HeaderParam("X-Auth-Token") String authToken, @PathParam("name") String name,
                                         @PathParam("id") String id, @Context UriInfo uriInfo) {
        authorize(authToken, projectId);
        return Map.of("resources", StackJson.resources(publicUrl.base(uriInfo), liveStack(projectId, name, id)));
    }

    /** Merge update: stored template, parameters merged, undeclared ones silently dropped (§9.3). */
    @PATCH
    @Path("stacks/{name}/{id}")
    public Response patch(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                          @HeaderParam("Accept") String accept, @PathParam("name") String name,
                          @PathParam("id") String id, Map<String, Object> body) {
        Token token = authorize(authToken, projectId);
        Stack stack = liveStack(projectId, name, id);
        Map<String, Object> request = body == null ? Map.of() : body;
        requireStoredCredentials(token);
        synchronized (stack) {
            checkUpdatable(stack, true);
            if (request.containsKey("template")) {
                stack.template = HeatTemplate.parse(request.get("template"));
            }
            if (request.get("clear_parameters") instanceof List<?> cleared) {
                cleared.forEach(p -> stack.userParameters.remove(String.valueOf(p)));
            }
            parameters(request).forEach((key, value) -> {
                if (stack.template.declares(key)) {
                    stack.userParameters.put(key, value);
                }
            });
            applyOptions(stack, request);
            startUpdate(stack);
        }
        return accepted(accept);
    }

    /** Full update: parameters not given revert to defaults; undeclared ones are refused. */
    @PUT
    @Path("stacks/{name}/{id}")
    public Response put(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                        @HeaderParam("Accept") String accept, @PathParam("name") String name,
                        @PathParam("id") String id, Map<String, Object> body) {
        Token token = authorize(authToken, projectId);
        Stack stack = liveStack(projectId, name, id);
        Map<String, Object> request = body == null ? Map.of() : body;
        requireStoredCredentials(token);
        synchronized (stack) {
            checkUpdatable(stack, false);
            HeatTemplate template = request.containsKey("template") ? HeatTemplate.parse(request.get("template")) : stack.template;
            Map<String, Object> parameters = parameters(request);
            template.checkUserParameters(parameters);
            stack.template = template;
            stack.userParameters = new LinkedHashMap<>(parameters);
            applyOptions(stack, request);
            startUpdate(stack);
        }
        return accepted(accept);
    }

    @DELETE
    @Path("stacks/{name}/{id}")
    public Response delete(@PathParam("project_id") String projectId, @HeaderParam("X-Auth-Token") String authToken,
                           @PathParam("name") String name, @PathParam("id") String id) {
        authorize(authToken, projectId);
        Stack stack = liveStack(projectId, name, id);
        synchronized (stack) {
            actions.start(stack, "DELETE");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("validate")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> validate(@PathParam("project_id") String projectId,
                                        @HeaderParam("X-Auth-Token") String authToken, Map<String, Object> body) {
        authorize(authToken, projectId);
        if (body == null || !body.containsKey("template")) {
            throw HeatFault.badRequest("HTTPBadRequest", "No template specified");
        }
        HeatTemplate template = HeatTemplate.parse(body.get("template"));
        template.checkConditions(Map.of());
        return template.validation();
    }

    private Token authorize(String authToken, String projectId) {
        Token token = tokens.authenticate(authToken);
        if (!token.project().id().equals(projectId)) {
            throw new HeatFault(403, "Forbidden", "You are not authorized to use this project.");
        }
        return token;
    }

    private Stack liveStack(String projectId, String name, String id) {
        return stacks.byId(id).filter(s -> s.projectId.equals(projectId) && s.name.equals(name) && !s.deleted)
                .orElseThrow(() -> HeatFault.stackNotFound(name));
    }

    /**
     * Heat re-creates its own trust from a trust-scoped token; without impersonation the token's roles are the
     * trustee's, which heat cannot delegate (§9.3: convergence answers 400 MissingCredentialError).
     */
    private static void requireStoredCredentials(Token token) {
        if (token.trust() != null && !token.trust().impersonation()) {
            String roleIds = token.roles().stream().map(r -> "'" + r.id() + "'").sorted().reduce((a, b) -> a + ", " + b).orElse("");
            throw HeatFault.badRequest("MissingCredentialError",
                    "Missing required credential: roles {'role_ids': [" + roleIds + "]}");
        }
    }

    private void checkUpdatable(Stack stack, boolean patch) {
        if ("DELETE".equals(stack.action) || "SUSPEND".equals(stack.action)) {
            throw HeatFault.badRequest("NotSupported", "Updating a stack when it is "
                    + ("DELETE".equals(stack.action) ? "deleting" : "suspended") + " is not supported.");
        }
        if (config.engine() == SimConfig.Heat.Engine.legacy) {
            if (stack.inProgress()) {
                throw new HeatFault(409, "ActionInProgress",
                        "Stack " + stack.name + " already has an action (" + stack.action + ") in progress.");
            }
            if (patch && "FAILED".equals(stack.status)) {
                throw HeatFault.badRequest("NotSupported", "PATCH update to non-COMPLETE stack is not supported.");
            }
        }
    }

    private void startUpdate(Stack stack) {
        stack.updatedTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        actions.start(stack, "UPDATE");
    }

    private Response redirect(String projectId, String authToken, String nameOrId, UriInfo uriInfo) {
        authorize(authToken, projectId);
        Stack stack = stacks.live(projectId, nameOrId).orElseThrow(() -> HeatFault.stackNotFound(nameOrId));
        String href = StackJson.href(publicUrl.base(uriInfo), stack);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "The resource was found at <a href=\"" + href + "\">" + href
                + "</a>;\nyou should be redirected automatically.\n\n");
        body.put("code", "302 Found");
        body.put("title", "Found");
        return Response.status(302).location(URI.create(href)).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    /** The 202 body is useless either way; without {@code Accept: application/json} heat-api sends HTML. */
    private static Response accepted(String accept) {
        if (accept != null && accept.contains("application/json")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", "The request is accepted for processing.<br /><br />\n\n\n");
            body.put("code", "202 Accepted");
            body.put("title", "Accepted");
            return Response.accepted(body).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.accepted(ACCEPTED_HTML).type("text/html; charset=UTF-8").build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(Map<String, Object> request) {
        return request.get("parameters") instanceof Map<?, ?> p ? new LinkedHashMap<>((Map<String, Object>) p) : Map.of();
    }

    private static void applyOptions(Stack stack, Map<String, Object> request) {
        if (request.get("timeout_mins") instanceof Number n) {
            stack.timeoutMins = n.intValue();
        }
        if (request.get("disable_rollback") instanceof Boolean b) {
            stack.disableRollback = b;
        }
        Object tags = request.get("tags");
        if (tags instanceof String s) {
            stack.tags = split(s);
        } else if (tags instanceof List<?> list) {
            stack.tags = list.stream().map(String::valueOf).toList();
        }
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
