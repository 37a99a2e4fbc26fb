-- expect: VL117
ALTER TABLE app.vals ADD COLUMN shard int NOT NULL DEFAULT (random() * 16)::int;
