-- Issue 15, the lease timeline: a group may name the Blazar lease it serves (optional on POST /v1/groups).
ALTER TABLE exchange_group ADD COLUMN lease_id VARCHAR(64);
CREATE INDEX exchange_group_lease ON exchange_group (lease_id) WHERE lease_id IS NOT NULL;
