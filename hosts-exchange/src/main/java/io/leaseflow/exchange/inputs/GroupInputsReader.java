package io.leaseflow.exchange.inputs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.member.ExchangeMember;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Reads a group's aggregate in a fresh session, so a woken long-poll never sees a cached entity. */
@ApplicationScoped
public class GroupInputsReader {

    private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    GroupInputsReader(ObjectMapper json) {
        this.json = json;
    }

    /** The aggregate with its serialised body and ETag; the join token must match. */
    public record Snapshot(GroupInputs inputs, String body, String etag) {
    }

    public Uni<Snapshot> read(UUID groupId, String authorization) {
        return Panache.withSession(() -> GroupLookup.require(groupId)
                .invoke(group -> JoinTokenCheck.require(authorization, group.joinTokenHash))
                .chain(group -> ExchangeMember.<ExchangeMember>list("groupId", groupId)
                        .map(members -> aggregate(group.outputNameList(), members))
                        .map(inputs -> new GroupInputs(group.status, group.size, group.reported, inputs))))
                .map(this::snapshot);
    }

    private SortedMap<String, SortedMap<String, String>> aggregate(List<String> outputs,
            List<ExchangeMember> members) {
        SortedMap<String, SortedMap<String, String>> byOutput = new TreeMap<>();
        outputs.forEach(output -> byOutput.put(output, new TreeMap<>()));
        for (ExchangeMember member : members) {
            parse(member.outputsJson).forEach((output, value) -> {
                var values = byOutput.get(output);
                if (values != null) {
                    values.put(member.key, value);
                }
            });
        }
        return byOutput;
    }

    private Map<String, String> parse(String outputsJson) {
        try {
            return json.readValue(outputsJson, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outputs are written by this service as JSON", e);
        }
    }

    private Snapshot snapshot(GroupInputs inputs) {
        try {
            String body = json.writeValueAsString(inputs);
            return new Snapshot(inputs, body, etag(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the aggregate is plain strings and always serialises", e);
        }
    }

    /** Strong ETag over the whole body, which includes the status and every value. */
    static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
