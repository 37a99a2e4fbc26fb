-- expect: VL101
ALTER TABLE app.runs DROP logs;
