-- expect: VL114
DROP TYPE IF EXISTS app.run_outcome, app.val_type CASCADE;
