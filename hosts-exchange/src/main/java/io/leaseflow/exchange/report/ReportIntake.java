package io.leaseflow.exchange.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.group.GroupStatus;
import io.leaseflow.exchange.group.OpenGroups;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The write side on the replica that took the HTTP request: checks what it can (group, token, declared outputs, open;
 * for later writes also the member secret, and a repeated identical write is answered at once), then publishes the
 * report to Kafka for the partition owner to decide. Claims and Heat signals into an open group are checked against
 * {@link OpenGroups} without a database read. The member secret is generated here and only its hash travels.
 */
@ApplicationScoped
public class ReportIntake {

    private final Pool pool;
    private final OpenGroups openGroups;
    private final ReportPublisher publisher;
    private final PendingDecisions pending;
    private final ExchangeConfig config;
    private final ExchangeMetrics metrics;
    private final ObjectMapper json;

    ReportIntake(Pool pool, OpenGroups openGroups, ReportPublisher publisher, PendingDecisions pending,
            ExchangeConfig config, ExchangeMetrics metrics, ObjectMapper json) {
        this.pool = pool;
        this.openGroups = openGroups;
        this.publisher = publisher;
        this.pending = pending;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * A write. Native writes carry the join token and, after the first, the member secret; Heat signals carry the
     * capability's hash, which is that key's member secret.
     */
    public record Write(UUID groupId, String key, Map<String, String> outputs, int statusCode,
            ExchangeReport.ReportVia via, String authorization, byte[] presentedSecretHash) {
    }

    /**
     * What became of a write: {@code outcome} is null while the owner's decision is pending (published, durable,
     * not yet decided); {@code memberSecret} is set when the write claims (or may have claimed) the key.
     */
    public record Result(ExchangeEvent.Outcome outcome, String memberSecret, String groupStatus) {
        public boolean pending() {
            return outcome == null;
        }
    }

    private static final String LOOKUP = """
            SELECT g.status, g.deadline, g.join_token_hash, g.output_names,
                   m.secret_hash, m.outputs_json, m.status_code, h.token_hash AS capability_hash
            FROM exchange_group g
            LEFT JOIN exchange_member m ON m.group_id = g.id AND m.member_key = $2
            LEFT JOIN exchange_heat_member h ON h.group_id = g.id AND h.member_key = $2
            WHERE g.id = $1""";

    /** {@code awaitDecision}: wait for the owner (native writes learn whether they claimed the key). */
    public Uni<Result> submit(Write write, boolean awaitDecision) {
        Context context = Vertx.currentContext();
        Executor back = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        Uni<Result> result = claimsOrSignals(write)
                ? openGroups.get(write.groupId()).chain(facts -> facts != null && facts.acceptsAt(Instant.now())
                        ? decideOpen(write, facts, awaitDecision)
                        : lookUpAndDecide(write, awaitDecision))
                : lookUpAndDecide(write, awaitDecision);
        return result.emitOn(back);
    }

    /**
     * A native write without a member secret (a claim) or a Heat signal (its capability is the secret) into an open
     * group needs nothing from the member rows: whether the key is free, or the secret matches, is the owner's
     * decision anyway. Later native writes (with a secret) take the full look-up, which answers a repeat at once.
     */
    private static boolean claimsOrSignals(Write write) {
        return write.via() == ExchangeReport.ReportVia.HEAT_SIGNAL || write.presentedSecretHash() == null;
    }

    private Uni<Result> decideOpen(Write write, OpenGroups.Facts facts, boolean awaitDecision) {
        if (write.via() == ExchangeReport.ReportVia.NATIVE) {
            JoinTokenCheck.require(write.authorization(), facts.joinTokenHash());
        }
        Map<String, String> outputs = declaredOutputs(write, facts.outputs());
        String newSecret = write.via() == ExchangeReport.ReportVia.NATIVE ? SecretTokens.generate() : null;
        byte[] claimHash = newSecret != null ? SecretTokens.hash(newSecret) : write.presentedSecretHash();
        return publish(write, outputs, newSecret, claimHash, awaitDecision);
    }

    private Uni<Result> lookUpAndDecide(Write write, boolean awaitDecision) {
        return pool.preparedQuery(LOOKUP).execute(Tuple.of(write.groupId(), write.key()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw GroupLookup.notFound(write.groupId());
                    }
                    return decideLocally(write, rows.iterator().next(), awaitDecision);
                });
    }

    private Uni<Result> decideLocally(Write write, Row row, boolean awaitDecision) {
        GroupStatus status = GroupStatus.valueOf(row.getString("status"));
        if (write.via() == ExchangeReport.ReportVia.NATIVE) {
            JoinTokenCheck.require(write.authorization(), bytes(row, "join_token_hash"));
        }
        Map<String, String> outputs = declaredOutputs(write, List.of(row.getString("output_names").split(",")));
        String outputsJson = toJson(outputs);
        byte[] memberHash = bytes(row, "secret_hash");
        byte[] capabilityHash = bytes(row, "capability_hash");
        byte[] presented = write.presentedSecretHash();
        if (memberHash != null) {
            if (!SecretTokens.sameHash(presented, memberHash)) {
                throw secretMismatch(write.key());
            }
            if (outputsJson.equals(row.getString("outputs_json")) && write.statusCode() == row.getInteger("status_code")) {
                // A retried or repeated write: nothing to change, even once the group has closed.
                metrics.memberReported("unchanged");
                return Uni.createFrom().item(new Result(ExchangeEvent.Outcome.UNCHANGED, null, status.name()));
            }
        } else if (capabilityHash != null && !SecretTokens.sameHash(presented, capabilityHash)) {
            throw new ProblemException(ProblemType.MEMBER_SECRET_MISMATCH, "Key '" + write.key()
                    + "' is bound to a Heat capability URL; only its signal may write it.");
        }
        if (!status.isOpen()) {
            throw new ProblemException(ProblemType.GROUP_NOT_OPEN, "The group is " + status + ".");
        }
        OffsetDateTime deadline = row.getOffsetDateTime("deadline");
        if (!Instant.now().isBefore(deadline.toInstant())) {
            throw new ProblemException(ProblemType.GROUP_NOT_OPEN, "The group's deadline " + deadline.toInstant()
                    + " has passed.");
        }
        String newSecret = memberHash == null && capabilityHash == null ? SecretTokens.generate() : null;
        byte[] claimHash = newSecret != null ? SecretTokens.hash(newSecret) : presented;
        return publish(write, outputs, newSecret, claimHash, awaitDecision);
    }

    /** The outputs the group declares; a native write naming any other is refused (422). */
    private static Map<String, String> declaredOutputs(Write write, List<String> declared) {
        Map<String, String> outputs = new TreeMap<>();
        write.outputs().forEach((name, value) -> {
            if (declared.contains(name)) {
                outputs.put(name, value);
            }
        });
        if (write.via() == ExchangeReport.ReportVia.NATIVE && outputs.size() != write.outputs().size()) {
            List<String> unknown = write.outputs().keySet().stream().filter(n -> !declared.contains(n)).sorted()
                    .toList();
            throw new ProblemException(ProblemType.UNKNOWN_OUTPUT,
                    "The group declares outputs " + declared + "; got " + unknown + ".",
                    unknown.stream().map(name -> "outputs." + name + ": not declared by the group").toList(),
                    Map.of());
        }
        return outputs;
    }

    private Uni<Result> publish(Write write, Map<String, String> outputs, String newSecret, byte[] claimHash,
            boolean awaitDecision) {
        var report = new ExchangeReport(UUID.randomUUID().toString(), write.groupId().toString(), write.key(), outputs,
                write.statusCode(), write.via(), SecretTokens.encode(claimHash),
                SecretTokens.encode(write.presentedSecretHash()), Instant.now(), config.instanceId());
        if (awaitDecision) {
            pending.expect(report.reportId());
        }
        return publisher.publish(report)
                .invoke(() -> metrics.reportReceived(write.via() == ExchangeReport.ReportVia.NATIVE ? "native"
                        : "heat-signal"))
                .chain(() -> awaitDecision ? pending.await(report.reportId(), config.decisionTimeout())
                        : Uni.createFrom().<Decision> nullItem())
                .map(decision -> toResult(write.key(), decision, newSecret))
                .onTermination().invoke(() -> pending.forget(report.reportId()));
    }

    private static Result toResult(String key, Decision decision, String newSecret) {
        if (decision == null) {
            return new Result(null, newSecret, null);
        }
        if (decision.outcome() == ExchangeEvent.Outcome.REJECTED) {
            ProblemType type = ProblemType.fromSlug(decision.rejection()).orElse(ProblemType.GROUP_NOT_OPEN);
            throw type == ProblemType.MEMBER_SECRET_MISMATCH ? secretMismatch(key)
                    : new ProblemException(type, "The partition owner refused the report: " + type.title() + ".");
        }
        return new Result(decision.outcome(), decision.outcome() == ExchangeEvent.Outcome.CLAIMED ? newSecret : null,
                decision.groupStatus());
    }

    private static ProblemException secretMismatch(String key) {
        return new ProblemException(ProblemType.MEMBER_SECRET_MISMATCH, "Key '" + key
                + "' was claimed by its first writer; send its secret in X-Member-Secret.");
    }

    private static byte[] bytes(Row row, String column) {
        var buffer = row.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }

    private String toJson(Map<String, String> outputs) {
        try {
            return json.writeValueAsString(new TreeMap<>(outputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
