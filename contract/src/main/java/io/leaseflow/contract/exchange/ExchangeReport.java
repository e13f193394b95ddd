package io.leaseflow.contract.exchange;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data of a CloudEvent on {@link io.leaseflow.contract.Topics#EXCHANGE_REPORTS} (key: group id, type
 * {@link ExchangeCloudEvents#REPORT_SUBMITTED}): one member write as the replica that took the HTTP request saw it,
 * for the partition owner to decide on. Carries hashes, never secrets; schema
 * {@code schemas/exchange-report.schema.json}.
 *
 * @param reportId also the CloudEvent id; the owner processes each id once
 * @param claimSecretHash SHA-256 (base64url) of the member secret the receiving replica generated and hands to the
 *        writer if this write claims the key
 * @param presentedSecretHash SHA-256 (base64url) of the secret the writer presented, or null
 * @param statusCode the member's exit status (heat-config-notify {@code deploy_status_code}); non-zero marks it failed
 */
public record ExchangeReport(
        String reportId,
        String groupId,
        String memberKey,
        Map<String, String> outputs,
        int statusCode,
        ReportVia via,
        String claimSecretHash,
        String presentedSecretHash,
        Instant receivedAt,
        String receivedBy) {

    public ExchangeReport {
        outputs = outputs == null ? Map.of() : new TreeMap<>(outputs);
    }

    /** The protocol the write came in by. */
    public enum ReportVia {
        /** {@code PUT /v1/groups/{id}/members/{key}} */
        NATIVE,
        /** heat-config-notify's signal to a capability URL */
        HEAT_SIGNAL
    }
}
