-- Notifications accepted while Blazar could not be asked for the rest of their lease.
CREATE TABLE deferred_notification (
    id              BIGSERIAL    PRIMARY KEY,
    body            BYTEA        NOT NULL,
    via             VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    last_error      TEXT,
    received_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX deferred_notification_due ON deferred_notification (next_attempt_at);
