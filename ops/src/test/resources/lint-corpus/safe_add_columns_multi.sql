-- expect: none
ALTER TABLE control.webhook_deliveries
    ADD COLUMN claimed_by      text,
    ADD COLUMN claimed_until   timestamptz;
