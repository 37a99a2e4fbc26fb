-- expect: VL110
ALTER TABLE app.users ADD CONSTRAINT users_name_key UNIQUE (name);
