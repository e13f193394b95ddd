-- Kafka path: the partition owner decides on reports; every change bumps `revision`, which readers and the resync
-- timer compare. `reported` counts members that answered, `failed` those of them with a non-zero status.
ALTER TABLE exchange_group ADD COLUMN failed integer NOT NULL DEFAULT 0 CHECK (failed >= 0);
ALTER TABLE exchange_group ADD COLUMN revision bigint NOT NULL DEFAULT 0;
ALTER TABLE exchange_group ADD COLUMN last_report_at timestamptz;
-- Heat-agent compatibility: the two deployments served to os-collect-config (null = the built-in hosts scripts).
ALTER TABLE exchange_group ADD COLUMN heat_export_group varchar(64);
ALTER TABLE exchange_group ADD COLUMN heat_export_config text;
ALTER TABLE exchange_group ADD COLUMN heat_populate_group varchar(64);
ALTER TABLE exchange_group ADD COLUMN heat_populate_config text;

ALTER TABLE exchange_member ADD COLUMN status_code integer NOT NULL DEFAULT 0;
ALTER TABLE exchange_member ADD COLUMN via varchar(16) NOT NULL DEFAULT 'NATIVE';

-- One row per report id the owner decided on, written in the decision's transaction: redeliveries are recognised
-- and their recorded outcome is published again (the event may have been lost with the crash).
CREATE TABLE exchange_processed_report (
    report_id     varchar(64) PRIMARY KEY,
    group_id      uuid        NOT NULL,
    member_key    varchar(64) NOT NULL,
    outcome       varchar(16) NOT NULL,
    rejection     varchar(64),
    group_status  varchar(16),
    processed_at  timestamptz NOT NULL
);
CREATE INDEX exchange_processed_report_age ON exchange_processed_report (processed_at);

-- Capability URLs for os-collect-config's `request` collector: the token in the path is the credential; only its
-- SHA-256 is stored. It also serves as the member secret of the key it was issued for.
CREATE TABLE exchange_heat_member (
    group_id              uuid        NOT NULL REFERENCES exchange_group (id) ON DELETE CASCADE,
    member_key            varchar(64) NOT NULL,
    token_hash            bytea       NOT NULL UNIQUE,
    created_at            timestamptz NOT NULL,
    populate_status_code  integer,
    populate_signalled_at timestamptz,
    PRIMARY KEY (group_id, member_key)
);
