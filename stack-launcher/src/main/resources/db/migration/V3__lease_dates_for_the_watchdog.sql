-- The watchdog (issue 15) needs each bound lease's dates: read from Blazar at initialize, refreshed by lease.updated.
ALTER TABLE launch_plan ADD COLUMN lease_start      TIMESTAMPTZ;
ALTER TABLE launch_plan ADD COLUMN lease_end        TIMESTAMPTZ;
-- Set once io.leaseflow.lease.start-overdue was published for the plan's lease: the event goes out once per lease.
ALTER TABLE launch_plan ADD COLUMN start_overdue_at TIMESTAMPTZ;
CREATE INDEX launch_plan_waiting_start ON launch_plan (lease_start) WHERE status = 'INIT_COMPLETE';
