-- expect: VL104
ALTER TABLE app.runs RENAME TO executions;
