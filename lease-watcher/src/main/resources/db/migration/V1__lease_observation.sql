-- One row per lease fact (lease id, event type) that was published to Kafka.
CREATE TABLE lease_observation (
    event_id      VARCHAR(36)  PRIMARY KEY,
    lease_id      VARCHAR(64)  NOT NULL,
    event_type    VARCHAR(128) NOT NULL,
    first_via     VARCHAR(16)  NOT NULL,
    first_seen_at TIMESTAMPTZ  NOT NULL,
    last_seen_at  TIMESTAMPTZ  NOT NULL,
    times_seen    BIGINT       NOT NULL
);
CREATE INDEX lease_observation_lease ON lease_observation (lease_id);
