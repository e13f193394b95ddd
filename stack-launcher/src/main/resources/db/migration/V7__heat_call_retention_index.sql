-- Retention (HeatCallRetention) deletes heat_call rows older than leaseflow.retention.heat-calls, oldest first: this
-- index finds them without reading the table. Built CONCURRENTLY, so that Heat call inserts of the replicas still
-- running go on while it builds over a large table (Flyway runs these statements outside a transaction). A build that
-- was interrupted leaves an invalid index behind; the DROP removes it when the migration runs again.
DROP INDEX CONCURRENTLY IF EXISTS heat_call_at;
CREATE INDEX CONCURRENTLY heat_call_at ON heat_call (at);
