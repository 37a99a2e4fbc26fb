-- expect: VL102
DROP TABLE app.blobs;
