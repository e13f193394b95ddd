-- Every sighting of a lease fact, for the lease timeline (issue 15): notifications and webhooks always, reconciler
-- polls only when they published (a pass every 30 s would otherwise add a row per lease per pass).
CREATE TABLE lease_sighting (
    id         BIGSERIAL    PRIMARY KEY,
    lease_id   VARCHAR(64)  NOT NULL,
    event_type VARCHAR(128) NOT NULL,
    event_id   VARCHAR(36)  NOT NULL,   -- the CloudEvent id of the fact (deterministic per lease and type)
    via        VARCHAR(16)  NOT NULL,   -- NOTIFICATION, WEBHOOK, POLL
    message_id VARCHAR(255),            -- oslo's message_id; none for polls
    published  BOOLEAN      NOT NULL,   -- this sighting put the event on Kafka (else: a duplicate)
    trace_id   VARCHAR(32),
    seen_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX lease_sighting_lease ON lease_sighting (lease_id, seen_at);
