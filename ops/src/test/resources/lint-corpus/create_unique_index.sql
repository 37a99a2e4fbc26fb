-- expect: VL111
CREATE UNIQUE INDEX IF NOT EXISTS users_lower_name_idx ON app.users (lower(name));
