-- expect: none
DROP INDEX CONCURRENTLY IF EXISTS app.runs_outcome_idx;
