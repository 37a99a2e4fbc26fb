-- expect: VL102
DROP TABLE IF EXISTS app.env_vars, app.blobs CASCADE;
