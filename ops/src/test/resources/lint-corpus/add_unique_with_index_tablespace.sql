-- expect: VL110
-- USING INDEX TABLESPACE is an index parameter, not the USING INDEX form
ALTER TABLE app.users ADD UNIQUE (name) USING INDEX TABLESPACE fast;
