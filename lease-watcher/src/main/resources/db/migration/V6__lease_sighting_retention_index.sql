-- Retention (SightingRetention) deletes lease_sighting rows older than leaseflow.retention.lease-sightings, oldest
-- first: this index finds them without reading the table. Built CONCURRENTLY, so that the sightings the running
-- replicas insert (in the same transaction as a notification's dedup row) go on while it builds over a large table
-- (Flyway runs these statements outside a transaction). A build that was interrupted leaves an invalid index behind;
-- the DROP removes it when the migration runs again.
DROP INDEX CONCURRENTLY IF EXISTS lease_sighting_seen_at;
CREATE INDEX CONCURRENTLY lease_sighting_seen_at ON lease_sighting (seen_at);
