-- Initialized stacks (dormant, held, bound), plan timeouts, end-of-lease action, and the stack-event outbox.
ALTER TABLE launch_plan ALTER COLUMN heat_stack_id DROP NOT NULL;   -- held: no Heat stack before launch
ALTER TABLE launch_plan ALTER COLUMN trust_id DROP NOT NULL;        -- deleted once the plan is final
ALTER TABLE launch_plan ADD COLUMN held_body            TEXT;       -- held: Heat's create body, kept until launch
ALTER TABLE launch_plan ADD COLUMN reservation_type     VARCHAR(64) NOT NULL DEFAULT 'physical:host';
ALTER TABLE launch_plan ADD COLUMN selected_reservation VARCHAR(64); -- explicit selector, else by type
ALTER TABLE launch_plan ADD COLUMN on_end               VARCHAR(16) NOT NULL DEFAULT 'NONE';
ALTER TABLE launch_plan ADD COLUMN end_action_at        TIMESTAMPTZ;
ALTER TABLE launch_plan ADD COLUMN timeout_mins         INTEGER;
ALTER TABLE launch_plan ADD COLUMN launch_deadline      TIMESTAMPTZ;
ALTER TABLE launch_plan ADD COLUMN launched_at          TIMESTAMPTZ;
CREATE INDEX launch_plan_project ON launch_plan (project_id, created_at);
CREATE INDEX launch_plan_trust_left ON launch_plan (status) WHERE trust_id IS NOT NULL;

-- Written in the same transaction as the plan transition it describes; relayed to Kafka, then marked published.
CREATE TABLE stack_event_outbox (
    seq          BIGSERIAL    PRIMARY KEY,
    id           VARCHAR(36)  NOT NULL UNIQUE,     -- the CloudEvent id, stable across relay retries
    plan_id      VARCHAR(36)  NOT NULL,            -- the Kafka key
    type         VARCHAR(64)  NOT NULL,            -- the CloudEvent type
    payload      TEXT         NOT NULL,            -- StackEvent as JSON
    created_at   TIMESTAMPTZ  NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX stack_event_outbox_pending ON stack_event_outbox (seq) WHERE published_at IS NULL;
