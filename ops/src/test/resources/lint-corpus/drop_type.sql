-- expect: VL114
DROP TYPE app.run_outcome;
