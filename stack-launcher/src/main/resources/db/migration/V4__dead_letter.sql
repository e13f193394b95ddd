-- Dead letters the operator API lists, replays and discards; one row per record of a dead-letter topic.
-- (dlq_topic, dlq_partition, dlq_offset) is unique: reading the topic again inserts nothing twice.
CREATE TABLE dead_letter (
    id                  BIGSERIAL    PRIMARY KEY,
    dlq_topic           VARCHAR(255) NOT NULL,
    dlq_partition       INT          NOT NULL,
    dlq_offset          BIGINT       NOT NULL,
    source              VARCHAR(255) NOT NULL,
    source_partition    INT,
    source_offset       BIGINT,
    message_id          VARCHAR(255),
    record_key          TEXT,
    payload             BYTEA        NOT NULL,
    headers             TEXT         NOT NULL,
    reason              TEXT         NOT NULL,
    first_seen_at       TIMESTAMPTZ  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    replay_count        INT          NOT NULL DEFAULT 0,
    last_replay_at      TIMESTAMPTZ,
    last_replay_outcome TEXT,
    corrected_payload   BYTEA,
    replayed_at         TIMESTAMPTZ,
    replayed_by         VARCHAR(255),
    discarded_at        TIMESTAMPTZ,
    discarded_by        VARCHAR(255),
    CONSTRAINT dead_letter_record UNIQUE (dlq_topic, dlq_partition, dlq_offset)
);
CREATE INDEX dead_letter_status_topic ON dead_letter (status, dlq_topic);
CREATE INDEX dead_letter_first_seen ON dead_letter (first_seen_at);

-- Who replayed or discarded which dead letter, and when; kept with the letter.
CREATE TABLE dead_letter_audit (
    id             BIGSERIAL    PRIMARY KEY,
    dead_letter_id BIGINT       NOT NULL REFERENCES dead_letter (id),
    action         VARCHAR(32)  NOT NULL,
    actor          VARCHAR(255) NOT NULL,
    at             TIMESTAMPTZ  NOT NULL,
    outcome        TEXT
);
CREATE INDEX dead_letter_audit_letter ON dead_letter_audit (dead_letter_id);
