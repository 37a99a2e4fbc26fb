-- expect: VL104
ALTER TABLE app.blobs SET SCHEMA storage;
