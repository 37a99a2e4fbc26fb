-- expect: VL119
TRUNCATE app.runs;
