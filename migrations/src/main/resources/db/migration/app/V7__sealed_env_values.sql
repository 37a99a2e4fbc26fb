-- Environment values are kept sealed (AES-256-GCM; the key lives outside the database, in
-- VALENCE_SECRET_KEY or the instance's key file), with the id of the key that sealed each one.
--
-- Expand: app.env_vars is left as it is, so older code keeps reading and writing it. Newer code
-- writes here only and moves each plaintext row of app.env_vars here, sealed, deleting it there,
-- once no instance of older code is live. What older code sees during a rolling deploy: the
-- variables it wrote or that were there before, as always; a variable set through newer code is
-- unset for it (never ciphertext); what it writes is plaintext until a newer instance seals it.
CREATE TABLE app.env_secrets (
    user_id     bigint      NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    key         text        NOT NULL CHECK (key ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    key_id      text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
    sealed      bytea       NOT NULL CHECK (octet_length(sealed) BETWEEN 28 AND 262172),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX env_secrets_key_id_idx ON app.env_secrets (key_id);

-- writes announce themselves as env_vars writes do (channel valence_env, payload the user id)
CREATE TRIGGER env_secrets_changed
    AFTER INSERT OR UPDATE OR DELETE ON app.env_secrets
    FOR EACH ROW EXECUTE FUNCTION app.notify_env_change();

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (7, 'expand', 0, 'app.env_secrets holds environment values sealed with AES-GCM; env_vars keeps older code''s plaintext until sealed');
