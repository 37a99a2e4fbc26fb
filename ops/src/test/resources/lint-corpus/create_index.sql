-- expect: VL111
CREATE INDEX runs_outcome_idx ON app.runs (outcome);
