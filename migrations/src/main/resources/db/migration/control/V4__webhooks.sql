-- Webhook delivery state the outbox of V3 needs: a claim with a deadline (so several status page
-- processes drain one outbox without sending a row twice, and a crashed process's rows come back),
-- when the last attempt ended, and when a delivery was given up. Nullable columns only: expand-only.
ALTER TABLE control.webhook_deliveries
    ADD COLUMN claimed_by      text,
    ADD COLUMN claimed_until   timestamptz,
    ADD COLUMN last_attempt_at timestamptz,
    ADD COLUMN failed_at       timestamptz;
