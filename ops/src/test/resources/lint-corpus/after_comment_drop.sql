-- expect: VL102
/* clean up */ -- really
DROP TABLE app.blobs;
