CREATE TABLE launch_plan (
    id                    VARCHAR(36)  PRIMARY KEY,
    lease_id              VARCHAR(64)  NOT NULL,
    project_id            VARCHAR(64)  NOT NULL,
    user_id               VARCHAR(64)  NOT NULL,
    heat_stack_id         VARCHAR(64)  NOT NULL,
    stack_name            VARCHAR(255) NOT NULL,
    trust_id              VARCHAR(64)  NOT NULL,
    reservation_parameter VARCHAR(255) NOT NULL,
    mode                  VARCHAR(16)  NOT NULL,
    status                VARCHAR(16)  NOT NULL,
    reservation_id        VARCHAR(64),
    status_reason         TEXT,
    created_at            TIMESTAMPTZ  NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL
);
CREATE INDEX launch_plan_lease_status ON launch_plan (lease_id, status);
CREATE INDEX launch_plan_status ON launch_plan (status);
-- A Heat stack is launched by at most one live plan.
CREATE UNIQUE INDEX launch_plan_stack_live ON launch_plan (heat_stack_id)
    WHERE status IN ('INIT_COMPLETE', 'LAUNCHING', 'IN_PROGRESS');

CREATE TABLE plan_transition (
    id          BIGSERIAL    PRIMARY KEY,
    plan_id     VARCHAR(36)  NOT NULL REFERENCES launch_plan (id),
    from_status VARCHAR(16),
    to_status   VARCHAR(16)  NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX plan_transition_plan ON plan_transition (plan_id);
