-- expect: none
CREATE SEQUENCE IF NOT EXISTS app.run_seq;
