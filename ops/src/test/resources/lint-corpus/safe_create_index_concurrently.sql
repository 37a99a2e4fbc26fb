-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS runs_outcome_idx ON app.runs (outcome);
