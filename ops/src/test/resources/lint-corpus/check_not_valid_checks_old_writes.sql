-- expect: VL122
ALTER TABLE app.runs ADD CONSTRAINT runs_logs_size CHECK (length(logs) < 1000000) NOT VALID;
