-- expect: none
ALTER TABLE app.runs VALIDATE CONSTRAINT runs_logs_size;
