-- The closed-group purge finds groups closed before its cutoff without scanning the open ones.
CREATE INDEX exchange_group_closed_at ON exchange_group (closed_at) WHERE status <> 'OPEN';
