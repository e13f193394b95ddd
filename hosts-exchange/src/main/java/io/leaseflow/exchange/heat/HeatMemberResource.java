package io.leaseflow.exchange.heat;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.group.GroupResource;
import io.leaseflow.exchange.group.GroupService;
import io.leaseflow.exchange.member.MemberReport;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;

/**
 * Issues capability URLs for members that run os-collect-config and heat-config: whoever holds the join token
 * (e.g. the launcher of the stack) asks for one per server and puts {@code os_collect_config} into that server's
 * user_data. The token in the URL is the only credential; it is shown once, stored as a hash, and also serves as the
 * member secret of its key.
 */
@Path("/v1/groups/{id}/heat-members/{key}")
@Produces(MediaType.APPLICATION_JSON)
public class HeatMemberResource {

    private static final Logger LOG = Logger.getLogger(HeatMemberResource.class);

    private final GroupService groups;
    private final HeatMembers heatMembers;
    private final ExchangeConfig config;
    private final ObjectMapper json;

    HeatMemberResource(GroupService groups, HeatMembers heatMembers, ExchangeConfig config, ObjectMapper json) {
        this.groups = groups;
        this.heatMembers = heatMembers;
        this.config = config;
        this.json = json;
    }

    /** 201 with {@code metadata_url} and the {@code os_collect_config} block; a second call rotates the URL. */
    @POST
    public Uni<Response> issue(@PathParam("id") String id, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uriInfo) {
        var groupId = GroupLookup.id(id);
        checkKey(key);
        String base = GroupResource.baseUrl(config, uriInfo);
        return groups.find(groupId)
                .invoke(group -> {
                    JoinTokenCheck.require(authorization, group.joinTokenHash);
                    if (!group.status.isOpen()) {
                        // A join token replayed after the group closed must not mint new capability URLs.
                        throw new ProblemException(ProblemType.GROUP_NOT_OPEN, "The group is " + group.status
                                + "; capability URLs are issued only while it is open.");
                    }
                })
                .chain(group -> heatMembers.claimedSecretHash(groupId, key))
                .chain(claimed -> {
                    if (claimed != null) {
                        // Reported natively already: a signal could never write this key.
                        throw new ProblemException(ProblemType.KEY_ALREADY_CLAIMED, "Key '" + key
                                + "' has already reported; issue the capability before the member reports.");
                    }
                    String token = SecretTokens.generate();
                    return heatMembers.issue(groupId, key, SecretTokens.hash(token)).map(done -> {
                        LOG.infof("group=%s key=%s heat capability issued", groupId, key);
                        String metadataUrl = HeatAgentResource.metadataUrl(base, token);
                        ObjectNode body = json.createObjectNode();
                        body.put("key", key);
                        body.put("metadata_url", metadataUrl);
                        body.set("os_collect_config", HeatMetadata.osCollectConfig(json, metadataUrl,
                                config.heat().openPollingInterval()));
                        return Response.status(Response.Status.CREATED).entity(body).build();
                    });
                });
    }

    /** Revokes the key's capability URL: the agent's polls get 404 from now on. */
    @DELETE
    public Uni<Response> revoke(@PathParam("id") String id, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        var groupId = GroupLookup.id(id);
        return groups.find(groupId)
                .invoke(group -> JoinTokenCheck.require(authorization, group.joinTokenHash))
                .chain(group -> heatMembers.revoke(groupId, key))
                .map(revoked -> {
                    if (!revoked) {
                        throw new ProblemException(ProblemType.CAPABILITY_NOT_FOUND, "Key '" + key
                                + "' has no capability URL.");
                    }
                    return Response.noContent().build();
                });
    }

    private static void checkKey(String key) {
        if (key == null || !MemberReport.KEY.matcher(key).matches()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "The member key is invalid.",
                    List.of("key: must match " + MemberReport.KEY.pattern()), Map.of());
        }
    }
}
