-- expect: none
ALTER TABLE app.users ADD CONSTRAINT users_name_key UNIQUE USING INDEX users_name_idx;
