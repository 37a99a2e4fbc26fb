-- expect: VL111
CREATE INDEX vals_owner_idx ON ONLY app.vals (owner_id);
