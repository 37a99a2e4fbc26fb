-- expect: VL111
CREATE INDEX ON app.runs USING btree (started_at) WHERE outcome = 'error';
