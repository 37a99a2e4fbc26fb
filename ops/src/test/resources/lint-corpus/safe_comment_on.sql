-- expect: none
COMMENT ON COLUMN app.vals.schedule IS 'cron expression; DROP it when type <> cron';
