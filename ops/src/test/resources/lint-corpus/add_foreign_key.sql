-- expect: VL109
ALTER TABLE app.runs ADD CONSTRAINT runs_version_fk FOREIGN KEY (val_id, version) REFERENCES app.val_versions (val_id, version);
