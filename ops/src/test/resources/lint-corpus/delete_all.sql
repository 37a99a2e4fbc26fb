-- expect: VL118
DELETE FROM app.runs;
