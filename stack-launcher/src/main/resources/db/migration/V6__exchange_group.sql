-- Issue 13: a hosts-exchange group created at launch for templates that declare exchange_url and exchange_token.
-- The spec is fixed at initialize; the group (id, URL, join token) is stored before the Heat call so that a retry or
-- recovery reuses it. exchange_size is null for plans without an exchange.
ALTER TABLE launch_plan ADD COLUMN exchange_size       INTEGER;
ALTER TABLE launch_plan ADD COLUMN exchange_outputs    VARCHAR(4200);  -- comma-separated output names
ALTER TABLE launch_plan ADD COLUMN exchange_timeout_s  INTEGER;
ALTER TABLE launch_plan ADD COLUMN exchange_on_timeout VARCHAR(16);    -- fail or partial
ALTER TABLE launch_plan ADD COLUMN exchange_group_id   VARCHAR(64);
ALTER TABLE launch_plan ADD COLUMN exchange_url        TEXT;
-- A secret: never shown or logged; cleared once the group is deleted at lease end.
ALTER TABLE launch_plan ADD COLUMN exchange_token      TEXT;
