package io.leaseflow.exchange.group;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A rendezvous of {@code size} members; its row lock serialises every report to it. */
@Entity
@Table(name = "exchange_group")
public class ExchangeGroup extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public int size;

    /** Comma-separated; names match {@code [A-Za-z0-9_]{1,64}}. */
    @Column(name = "output_names")
    public String outputNames;

    @Column(name = "timeout_s")
    public int timeoutSeconds;

    @Enumerated(EnumType.STRING)
    @Column(name = "on_timeout")
    public OnTimeout onTimeout;

    @Enumerated(EnumType.STRING)
    public GroupStatus status;

    @Column(name = "join_token_hash")
    public byte[] joinTokenHash;

    /** Members that answered, failed ones included. */
    public int reported;

    /** Members that answered with a non-zero status code. */
    public int failed;

    /** Bumped by every change of the aggregate or the status. */
    public long revision;

    @Column(name = "last_report_at")
    public Instant lastReportAt;

    @Column(name = "heat_export_group")
    public String heatExportGroup;

    @Column(name = "heat_export_config")
    public String heatExportConfig;

    @Column(name = "heat_populate_group")
    public String heatPopulateGroup;

    @Column(name = "heat_populate_config")
    public String heatPopulateConfig;

    @Column(name = "created_at")
    public Instant createdAt;

    public Instant deadline;

    /** The Blazar lease the group serves, if its creator named one (lease timeline). */
    @Column(name = "lease_id")
    public String leaseId;

    @Column(name = "closed_at")
    public Instant closedAt;

    public List<String> outputNameList() {
        return Arrays.asList(outputNames.split(","));
    }

    public boolean declaresOutput(String output) {
        return outputNameList().contains(output);
    }

    public boolean isPastDeadline(Instant now) {
        return !now.isBefore(deadline);
    }

    public void expire(Instant now) {
        close(onTimeout.closedAs(), now);
    }

    private void close(GroupStatus finalStatus, Instant now) {
        status = finalStatus;
        closedAt = now;
        revision++;
    }
}
