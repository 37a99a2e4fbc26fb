-- expect: VL109
ALTER TABLE app.vals ADD CHECK (latest_version < 100000);
