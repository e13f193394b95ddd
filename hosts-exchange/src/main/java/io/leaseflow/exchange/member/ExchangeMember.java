package io.leaseflow.exchange.member;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One member's latest report to a group, claimed by whoever wrote its key first. */
@Entity
@Table(name = "exchange_member")
public class ExchangeMember extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "group_id")
    public UUID groupId;

    @Column(name = "member_key")
    public String key;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    /** JSON object of output name to value, as last reported. */
    @Column(name = "outputs_json")
    public String outputsJson;

    /** The member's exit status; non-zero marks it failed and keeps its outputs out of the aggregate. */
    @Column(name = "status_code")
    public int statusCode;

    public String via;

    @Column(name = "reported_at")
    public Instant reportedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
