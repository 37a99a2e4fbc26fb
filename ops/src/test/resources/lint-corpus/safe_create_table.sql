-- expect: none
CREATE TABLE app.tags (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL UNIQUE CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tags_created_idx ON app.tags (created_at);
