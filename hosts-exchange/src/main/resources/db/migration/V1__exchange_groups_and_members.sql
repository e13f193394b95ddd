-- A rendezvous of `size` members exchanging named outputs all-to-all.
CREATE TABLE exchange_group (
    id              uuid         PRIMARY KEY,
    name            varchar(255) NOT NULL,
    size            integer      NOT NULL CHECK (size BETWEEN 1 AND 10000),
    -- Output names match [A-Za-z0-9_]{1,64}, so a comma never occurs inside one.
    output_names    text         NOT NULL,
    timeout_s       integer      NOT NULL CHECK (timeout_s BETWEEN 1 AND 86400),
    on_timeout      varchar(16)  NOT NULL CHECK (on_timeout IN ('FAIL', 'PARTIAL')),
    status          varchar(16)  NOT NULL CHECK (status IN ('OPEN', 'COMPLETE', 'EXPIRED', 'PARTIAL')),
    -- SHA-256 of the join token; the token itself is never stored.
    join_token_hash bytea        NOT NULL,
    reported        integer      NOT NULL DEFAULT 0 CHECK (reported BETWEEN 0 AND size),
    created_at      timestamptz  NOT NULL,
    deadline        timestamptz  NOT NULL,
    closed_at       timestamptz
);

-- The expiry sweep scans only open groups.
CREATE INDEX exchange_group_open_deadline ON exchange_group (deadline) WHERE status = 'OPEN';

CREATE TABLE exchange_member (
    id           uuid        PRIMARY KEY,
    group_id     uuid        NOT NULL REFERENCES exchange_group (id) ON DELETE CASCADE,
    member_key   varchar(64) NOT NULL,
    -- SHA-256 of the member secret handed out on the first write.
    secret_hash  bytea       NOT NULL,
    -- JSON object {output name: value}; values are at most 64 KiB each.
    outputs_json text        NOT NULL,
    reported_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT exchange_member_group_key UNIQUE (group_id, member_key)
);
