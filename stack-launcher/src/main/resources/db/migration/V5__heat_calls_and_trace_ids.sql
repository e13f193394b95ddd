-- Issue 15, the lease timeline: every call to Heat, and the trace each transition and stack event belongs to.
CREATE TABLE heat_call (
    id          BIGSERIAL    PRIMARY KEY,
    plan_id     VARCHAR(36),             -- none before a plan exists (validate at initialize)
    lease_id    VARCHAR(64),
    operation   VARCHAR(16)  NOT NULL,   -- patch, create, show, list, delete, validate, locate
    method      VARCHAR(8)   NOT NULL,
    path        TEXT         NOT NULL,   -- relative to the orchestration endpoint
    status      INTEGER,                 -- none when Heat did not answer
    error       TEXT,                    -- why there was no answer (connect, timeout)
    duration_ms INTEGER      NOT NULL,
    request_id  VARCHAR(128),            -- Heat's x-openstack-request-id
    trace_id    VARCHAR(32),
    at          TIMESTAMPTZ  NOT NULL    -- when the request was sent
);
CREATE INDEX heat_call_lease ON heat_call (lease_id, at);

ALTER TABLE plan_transition ADD COLUMN trace_id VARCHAR(32);
-- The W3C traceparent of the transition that wrote the row: the relayed Kafka record continues that trace.
ALTER TABLE stack_event_outbox ADD COLUMN traceparent VARCHAR(64);
