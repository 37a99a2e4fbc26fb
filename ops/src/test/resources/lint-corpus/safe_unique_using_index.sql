-- expect: none
CREATE UNIQUE INDEX CONCURRENTLY users_lower_name_key ON app.users (lower(name));
