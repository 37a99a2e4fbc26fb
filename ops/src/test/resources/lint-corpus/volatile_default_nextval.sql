-- expect: VL117
ALTER TABLE app.runs ADD COLUMN seq bigint DEFAULT nextval('app.run_seq');
