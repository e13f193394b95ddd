package io.leaseflow.exchange.report;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.contract.exchange.ExchangeEvent.Outcome;
import io.leaseflow.contract.exchange.ExchangeReport;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.events.ExchangeEventPublisher.Outgoing;
import io.leaseflow.exchange.group.GroupStatus;
import io.leaseflow.exchange.group.OnTimeout;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The partition owner's decisions: a batch of reports in one transaction, under the row locks of the groups they
 * touch. Claiming a key, counting the member, completing the group and recording the report id as processed commit
 * together, so a redelivered report is recognised and a group completes exactly once. Plain SQL on the reactive
 * pool: a batch of hundreds of reports costs a handful of round trips.
 */
@ApplicationScoped
public class ReportDecisions {

    private static final Logger LOG = Logger.getLogger(ReportDecisions.class);

    private final Pool pool;
    private final ObjectMapper json;

    ReportDecisions(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** A group this batch closed, for the completion-time histogram. */
    public record Closed(UUID groupId, GroupStatus status, Duration sinceLastReport) {
    }

    /** What to publish after commit, and what to count. */
    public record Applied(List<Outgoing> events, List<Closed> closed, Map<String, Integer> outcomes, int duplicates) {
    }

    private static final class GroupState {
        UUID id;
        int size;
        GroupStatus status;
        int reported;
        int failed;
        long revision;
        Instant deadline;
        OnTimeout onTimeout;
        List<String> outputs;
        Instant lastReportAt;
        Instant closedAt;
        boolean dirty;
    }

    private static final class MemberState {
        UUID groupId;
        String key;
        byte[] secretHash;
        String outputsJson;
        int statusCode;
        String via;
        Instant reportedAt;
        boolean dirty;
    }

    public Uni<Applied> decide(List<ExchangeReport> reports) {
        List<String> ids = reports.stream().map(ExchangeReport::reportId).distinct().toList();
        UUID[] groupIds = reports.stream().map(r -> UUID.fromString(r.groupId())).distinct().sorted()
                .toArray(UUID[]::new);
        String[] keys = reports.stream().map(ExchangeReport::memberKey).distinct().toArray(String[]::new);
        // Every statement of the batch is a lookup by primary or unique key. Without statistics (a fresh database
        // before autovacuum's first ANALYZE, or none at all) PostgreSQL plans "= ANY($1)" as a sequential scan and
        // keeps that generic plan, so each batch read the whole processed-report table: quadratic in reports.
        // The groups' row locks come first: a report another owner (a rebalance's previous one) decided and
        // committed while this batch waited for a lock is then seen as processed, not decided twice.
        return pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                .chain(() -> lockGroups(conn, groupIds))
                .chain(groups -> processed(conn, ids)
                        .chain(done -> members(conn, groupIds, keys)
                                .chain(members -> capabilities(conn, groupIds, keys)
                                        .chain(caps -> apply(conn, reports, done, groups, members, caps))))));
    }

    private Uni<Map<String, Row>> processed(SqlConnection conn, List<String> ids) {
        return conn.preparedQuery("SELECT report_id, member_key, outcome, rejection, group_status"
                + " FROM exchange_processed_report WHERE report_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Row> done = new HashMap<>();
                    rows.forEach(row -> done.put(row.getString("report_id"), row));
                    return done;
                });
    }

    private Uni<Map<UUID, GroupState>> lockGroups(SqlConnection conn, UUID[] groupIds) {
        return conn.preparedQuery("SELECT id, size, status, reported, failed, revision, deadline, on_timeout,"
                + " output_names, last_report_at FROM exchange_group WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .execute(Tuple.tuple().addArrayOfUUID(groupIds))
                .map(rows -> {
                    Map<UUID, GroupState> groups = new HashMap<>();
                    for (Row row : rows) {
                        var g = new GroupState();
                        g.id = row.getUUID("id");
                        g.size = row.getInteger("size");
                        g.status = GroupStatus.valueOf(row.getString("status"));
                        g.reported = row.getInteger("reported");
                        g.failed = row.getInteger("failed");
                        g.revision = row.getLong("revision");
                        g.deadline = row.getOffsetDateTime("deadline").toInstant();
                        g.onTimeout = OnTimeout.valueOf(row.getString("on_timeout"));
                        g.outputs = List.of(row.getString("output_names").split(","));
                        OffsetDateTime last = row.getOffsetDateTime("last_report_at");
                        g.lastReportAt = last == null ? null : last.toInstant();
                        groups.put(g.id, g);
                    }
                    return groups;
                });
    }

    private Uni<Map<String, MemberState>> members(SqlConnection conn, UUID[] groupIds, String[] keys) {
        return conn.preparedQuery("SELECT group_id, member_key, secret_hash, outputs_json, status_code, via,"
                + " reported_at FROM exchange_member WHERE group_id = ANY($1) AND member_key = ANY($2)")
                .execute(Tuple.tuple().addArrayOfUUID(groupIds).addArrayOfString(keys))
                .map(rows -> {
                    Map<String, MemberState> members = new HashMap<>();
                    for (Row row : rows) {
                        var m = new MemberState();
                        m.groupId = row.getUUID("group_id");
                        m.key = row.getString("member_key");
                        m.secretHash = row.getBuffer("secret_hash").getBytes();
                        m.outputsJson = row.getString("outputs_json");
                        m.statusCode = row.getInteger("status_code");
                        m.via = row.getString("via");
                        m.reportedAt = row.getOffsetDateTime("reported_at").toInstant();
                        members.put(m.groupId + "/" + m.key, m);
                    }
                    return members;
                });
    }

    private Uni<Map<String, byte[]>> capabilities(SqlConnection conn, UUID[] groupIds, String[] keys) {
        return conn.preparedQuery("SELECT group_id, member_key, token_hash FROM exchange_heat_member"
                + " WHERE group_id = ANY($1) AND member_key = ANY($2)")
                .execute(Tuple.tuple().addArrayOfUUID(groupIds).addArrayOfString(keys))
                .map(rows -> {
                    Map<String, byte[]> caps = new HashMap<>();
                    rows.forEach(row -> caps.put(row.getUUID("group_id") + "/" + row.getString("member_key"),
                            row.getBuffer("token_hash").getBytes()));
                    return caps;
                });
    }

    private Uni<Applied> apply(SqlConnection conn, List<ExchangeReport> reports, Map<String, Row> done,
            Map<UUID, GroupState> groups, Map<String, MemberState> members, Map<String, byte[]> caps) {
        Instant now = Instant.now();
        Map<UUID, List<ExchangeEvent.Report>> decided = new LinkedHashMap<>();
        List<GroupState> completed = new ArrayList<>();
        List<Closed> closed = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Processed> processedRows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (ExchangeReport r : reports) {
            UUID groupId = UUID.fromString(r.groupId());
            GroupState g = groups.get(groupId);
            Row earlier = done.get(r.reportId());
            if (earlier != null || !seen.add(r.reportId())) {
                // Redelivered: the decision stands; publish it again, since its event may be what got lost.
                duplicates++;
                if (earlier != null) {
                    decided.computeIfAbsent(groupId, id -> new ArrayList<>()).add(new ExchangeEvent.Report(
                            r.reportId(), r.memberKey(), Outcome.valueOf(earlier.getString("outcome")),
                            earlier.getString("rejection")));
                }
                continue;
            }
            String rejection = null;
            boolean closedNow = false;
            Outcome outcome;
            if (g == null) {
                outcome = Outcome.REJECTED;
                rejection = ProblemType.GROUP_NOT_FOUND.slug();
            } else {
                String memberId = groupId + "/" + r.memberKey();
                MemberState m = members.get(memberId);
                byte[] presented = SecretTokens.decode(r.presentedSecretHash());
                String outputsJson = toJson(r.outputs(), g.outputs);
                boolean acceptsReports = g.status.isOpen() && r.receivedAt().isBefore(g.deadline);
                if (m != null) {
                    if (!SecretTokens.sameHash(presented, m.secretHash)) {
                        outcome = Outcome.REJECTED;
                        rejection = ProblemType.MEMBER_SECRET_MISMATCH.slug();
                    } else if (outputsJson.equals(m.outputsJson) && r.statusCode() == m.statusCode) {
                        outcome = Outcome.UNCHANGED;
                    } else if (!acceptsReports) {
                        outcome = Outcome.REJECTED;
                        rejection = ProblemType.GROUP_NOT_OPEN.slug();
                    } else {
                        g.failed += (r.statusCode() != 0 ? 1 : 0) - (m.statusCode != 0 ? 1 : 0);
                        m.outputsJson = outputsJson;
                        m.statusCode = r.statusCode();
                        m.dirty = true;
                        touch(g, r);
                        outcome = Outcome.UPDATED;
                    }
                } else {
                    byte[] capability = caps.get(memberId);
                    if (capability != null && !SecretTokens.sameHash(presented, capability)) {
                        outcome = Outcome.REJECTED;
                        rejection = ProblemType.MEMBER_SECRET_MISMATCH.slug();
                    } else if (!acceptsReports) {
                        outcome = Outcome.REJECTED;
                        rejection = ProblemType.GROUP_NOT_OPEN.slug();
                    } else {
                        m = new MemberState();
                        m.groupId = groupId;
                        m.key = r.memberKey();
                        m.secretHash = SecretTokens.decode(r.claimSecretHash());
                        m.outputsJson = outputsJson;
                        m.statusCode = r.statusCode();
                        m.via = r.via().name();
                        m.reportedAt = r.receivedAt();
                        m.dirty = true;
                        members.put(memberId, m);
                        g.reported++;
                        g.failed += r.statusCode() != 0 ? 1 : 0;
                        touch(g, r);
                        outcome = Outcome.CLAIMED;
                        if (g.reported >= g.size) {
                            // Everyone answered: complete, or per on_timeout when some of them failed.
                            g.status = g.failed == 0 ? GroupStatus.COMPLETE : g.onTimeout.closedAs();
                            g.closedAt = now;
                            g.revision++;
                            closedNow = true;
                            closed.add(new Closed(g.id, g.status, Duration.between(g.lastReportAt, now)));
                            LOG.infof("group=%s OPEN -> %s reported=%d/%d failed=%d last=%s", g.id, g.status,
                                    g.reported, g.size, g.failed, r.memberKey());
                        }
                    }
                }
            }
            outcomes.merge(outcome.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            decided.computeIfAbsent(groupId, id -> new ArrayList<>())
                    .add(new ExchangeEvent.Report(r.reportId(), r.memberKey(), outcome, rejection));
            if (closedNow) {
                completed.add(g);
            }
            processedRows.add(new Processed(r.reportId(), groupId, r.memberKey(), outcome.name(), rejection,
                    g == null ? null : g.status.name()));
        }
        int dups = duplicates;
        List<Outgoing> events = events(decided, completed, groups, now);
        return writeGroups(conn, groups.values())
                .chain(() -> writeMembers(conn, members.values()))
                .chain(() -> writeProcessed(conn, processedRows, now))
                .replaceWith(() -> new Applied(events, closed, outcomes, dups));
    }

    private static void touch(GroupState g, ExchangeReport r) {
        g.revision++;
        g.lastReportAt = g.lastReportAt == null || r.receivedAt().isAfter(g.lastReportAt) ? r.receivedAt()
                : g.lastReportAt;
        g.dirty = true;
    }

    private Uni<Void> writeGroups(SqlConnection conn, java.util.Collection<GroupState> groups) {
        List<Tuple> rows = groups.stream().filter(g -> g.dirty || g.closedAt != null)
                .map(g -> Tuple.tuple().addUUID(g.id).addString(g.status.name()).addInteger(g.reported)
                        .addInteger(g.failed).addLong(g.revision).addOffsetDateTime(utc(g.lastReportAt))
                        .addOffsetDateTime(utc(g.closedAt)))
                .toList();
        return batch(conn, "UPDATE exchange_group SET status = $2, reported = $3, failed = $4, revision = $5,"
                + " last_report_at = $6, closed_at = coalesce($7, closed_at) WHERE id = $1", rows);
    }

    /**
     * All claimed and updated members of the batch in one statement (arrays unnested), not one execution per row:
     * the owner's transaction runs on one database connection, so per-row statement overhead bounds the
     * partition's report rate. A batch names each key once (members are keyed by group and key).
     */
    private Uni<Void> writeMembers(SqlConnection conn, java.util.Collection<MemberState> members) {
        List<MemberState> dirty = members.stream().filter(m -> m.dirty).toList();
        if (dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO exchange_member (id, group_id, member_key, secret_hash, outputs_json,"
                + " status_code, via, reported_at, updated_at)"
                + " SELECT m.id, m.group_id, m.member_key, decode(m.secret_hex, 'hex'), m.outputs_json, m.status_code,"
                + " m.via, m.reported_at, $9"
                + " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],"
                + " $8::timestamptz[]) AS m(id, group_id, member_key, secret_hex, outputs_json, status_code, via,"
                + " reported_at)"
                + " ON CONFLICT (group_id, member_key) DO UPDATE SET outputs_json = EXCLUDED.outputs_json,"
                + " status_code = EXCLUDED.status_code, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.tuple()
                        .addArrayOfUUID(dirty.stream().map(m -> UUID.randomUUID()).toArray(UUID[]::new))
                        .addArrayOfUUID(dirty.stream().map(m -> m.groupId).toArray(UUID[]::new))
                        .addArrayOfString(dirty.stream().map(m -> m.key).toArray(String[]::new))
                        .addArrayOfString(dirty.stream().map(m -> HexFormat.of().formatHex(m.secretHash))
                                .toArray(String[]::new))
                        .addArrayOfString(dirty.stream().map(m -> m.outputsJson).toArray(String[]::new))
                        .addArrayOfInteger(dirty.stream().map(m -> m.statusCode).toArray(Integer[]::new))
                        .addArrayOfString(dirty.stream().map(m -> m.via).toArray(String[]::new))
                        .addArrayOfOffsetDateTime(dirty.stream().map(m -> utc(m.reportedAt))
                                .toArray(OffsetDateTime[]::new))
                        .addOffsetDateTime(utc(Instant.now())))
                .replaceWithVoid();
    }

    /** A report id with its decision, so that a redelivery is recognised. */
    private record Processed(String reportId, UUID groupId, String memberKey, String outcome, String rejection,
            String groupStatus) {
    }

    /** Every report id of the batch in one statement; ids are unique within a batch (repeats were skipped). */
    private static Uni<Void> writeProcessed(SqlConnection conn, List<Processed> rows, Instant now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("INSERT INTO exchange_processed_report (report_id, group_id, member_key, outcome,"
                + " rejection, group_status, processed_at)"
                + " SELECT p.report_id, p.group_id, p.member_key, p.outcome, p.rejection, p.group_status, $7"
                + " FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])"
                + " AS p(report_id, group_id, member_key, outcome, rejection, group_status)"
                + " ON CONFLICT (report_id) DO NOTHING")
                .execute(Tuple.tuple()
                        .addArrayOfString(rows.stream().map(Processed::reportId).toArray(String[]::new))
                        .addArrayOfUUID(rows.stream().map(Processed::groupId).toArray(UUID[]::new))
                        .addArrayOfString(rows.stream().map(Processed::memberKey).toArray(String[]::new))
                        .addArrayOfString(rows.stream().map(Processed::outcome).toArray(String[]::new))
                        .addArrayOfString(rows.stream().map(Processed::rejection).toArray(String[]::new))
                        .addArrayOfString(rows.stream().map(Processed::groupStatus).toArray(String[]::new))
                        .addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    private static Uni<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    /**
     * One {@code member-reported} per group of the batch, carrying every decision on that group's reports (a
     * thousand writes cost one event, not a thousand), then {@code group-completed} for the groups it closed.
     */
    private static List<Outgoing> events(Map<UUID, List<ExchangeEvent.Report>> decided, List<GroupState> completed,
            Map<UUID, GroupState> groups, Instant now) {
        List<Outgoing> events = new ArrayList<>();
        decided.forEach((groupId, reports) -> events.add(new Outgoing(ExchangeCloudEvents.MEMBER_REPORTED,
                snapshot(groups.get(groupId), groupId, reports, now))));
        completed.forEach(g -> events.add(new Outgoing(ExchangeCloudEvents.GROUP_COMPLETED,
                snapshot(g, g.id, null, now))));
        return events;
    }

    private static ExchangeEvent snapshot(GroupState g, UUID groupId, List<ExchangeEvent.Report> reports,
            Instant now) {
        if (g == null) {
            return new ExchangeEvent(groupId.toString(), "DELETED", 0, 0, 0, 0, null, reports, now);
        }
        return new ExchangeEvent(g.id.toString(), g.status.name(), g.size, g.reported, g.failed, g.revision, null,
                reports, now);
    }

    private String toJson(Map<String, String> outputs, List<String> declared) {
        Map<String, String> kept = new TreeMap<>();
        outputs.forEach((name, value) -> {
            if (declared.contains(name)) {
                kept.put(name, value);
            }
        });
        try {
            return json.writeValueAsString(kept);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
