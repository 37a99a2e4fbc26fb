-- Cron vals are scheduled with db-scheduler: one row per cron val in its table (the library's own
-- PostgreSQL layout), claimed with optimistic locking so that each tick runs on exactly one runtime.
-- It lives in `control` so ticks keep being taken (and held) while `app` is mismatched.
CREATE TABLE control.scheduled_tasks (
    task_name             text                     NOT NULL,
    task_instance         text                     NOT NULL,
    task_data             bytea,
    execution_time        timestamp with time zone NOT NULL,
    picked                boolean                  NOT NULL,
    picked_by             text,
    last_success          timestamp with time zone,
    last_failure          timestamp with time zone,
    consecutive_failures  integer,
    last_heartbeat        timestamp with time zone,
    version               bigint                   NOT NULL,
    priority              smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON control.scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON control.scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON control.scheduled_tasks (priority DESC, execution_time ASC);

-- Which run a cron tick, script request or inbound email became, by its idempotency key: a repeated
-- submission (a retried request, a held item claimed again after a crash) finds the run instead of
-- running twice, and a held request's outcome can be looked up once it ran.
CREATE TABLE control.trigger_results (
    idempotency_key  text        PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 500),
    val_id           bigint      NOT NULL,
    run_id           bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
