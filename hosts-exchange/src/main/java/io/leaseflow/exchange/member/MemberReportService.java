package io.leaseflow.exchange.member;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.group.ExchangeGroup;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.group.GroupStatus;
import io.leaseflow.exchange.inputs.GroupChangeNotifier;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Records member reports. Every write to a group runs under that group's row lock, so claiming a key, counting
 * the member and completing the group are one serial decision even when the last members report at once.
 */
@ApplicationScoped
public class MemberReportService {

    private static final Logger LOG = Logger.getLogger(MemberReportService.class);

    private final GroupChangeNotifier notifier;
    private final ExchangeMetrics metrics;
    private final ObjectMapper json;

    MemberReportService(GroupChangeNotifier notifier, ExchangeMetrics metrics, ObjectMapper json) {
        this.notifier = notifier;
        this.metrics = metrics;
        this.json = json;
    }

    /** What a write did; {@code memberSecret} is set only when it claimed the key. */
    public record Outcome(String key, String memberSecret, GroupStatus groupStatus, boolean completedGroup) {
        public boolean claimed() {
            return memberSecret != null;
        }
    }

    public Uni<Outcome> report(UUID groupId, String key, String authorization, String memberSecret,
            MemberReport report) {
        return Panache.withTransaction(() -> GroupLookup.requireLocked(groupId)
                .chain(group -> {
                    checkWritable(group, authorization, report);
                    return ExchangeMember.<ExchangeMember>find("groupId = ?1 and key = ?2", groupId, key)
                            .firstResult()
                            .chain(member -> member == null
                                    ? claim(group, key, report)
                                    : update(group, member, memberSecret, report));
                }))
                .invoke(outcome -> {
                    metrics.memberReported(outcome.claimed() ? "claimed" : "updated");
                    if (outcome.completedGroup()) {
                        metrics.groupClosed(GroupStatus.COMPLETE);
                    }
                    // After commit: woken long-polls must read what this write stored.
                    notifier.groupChanged(groupId, outcome.completedGroup());
                });
    }

    private static void checkWritable(ExchangeGroup group, String authorization, MemberReport report) {
        JoinTokenCheck.require(authorization, group.joinTokenHash);
        List<String> unknown = report.outputs().keySet().stream().filter(name -> !group.declaresOutput(name))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ProblemException(ProblemType.UNKNOWN_OUTPUT,
                    "The group declares outputs " + group.outputNameList() + "; got " + unknown + ".",
                    unknown.stream().map(name -> "outputs." + name + ": not declared by the group").toList(),
                    Map.of());
        }
        if (!group.status.isOpen()) {
            throw new ProblemException(ProblemType.GROUP_NOT_OPEN, "The group is " + group.status + ".");
        }
        if (group.isPastDeadline(Instant.now())) {
            // The sweep closes it within one tick; its deadline is what members were promised.
            throw new ProblemException(ProblemType.GROUP_NOT_OPEN, "The group's deadline " + group.deadline
                    + " has passed.");
        }
    }

    private Uni<Outcome> claim(ExchangeGroup group, String key, MemberReport report) {
        String secret = SecretTokens.generate();
        Instant now = Instant.now();
        var member = new ExchangeMember();
        member.id = UUID.randomUUID();
        member.groupId = group.id;
        member.key = key;
        member.secretHash = SecretTokens.hash(secret);
        member.outputsJson = toJson(report.outputs());
        member.reportedAt = now;
        member.updatedAt = now;
        boolean completed = group.countNewMember(now);
        if (completed) {
            LOG.infof("group=%s OPEN -> COMPLETE reported=%d/%d last=%s", group.id, group.reported, group.size, key);
        }
        return member.persist().replaceWith(new Outcome(key, secret, group.status, completed));
    }

    private Uni<Outcome> update(ExchangeGroup group, ExchangeMember member, String memberSecret,
            MemberReport report) {
        if (!SecretTokens.matches(memberSecret, member.secretHash)) {
            throw new ProblemException(ProblemType.MEMBER_SECRET_MISMATCH, "Key '" + member.key
                    + "' was claimed by its first writer; send its secret in X-Member-Secret.");
        }
        member.outputsJson = toJson(report.outputs());
        member.updatedAt = Instant.now();
        return Uni.createFrom().item(new Outcome(member.key, null, group.status, false));
    }

    private String toJson(Map<String, String> outputs) {
        try {
            return json.writeValueAsString(new TreeMap<>(outputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
