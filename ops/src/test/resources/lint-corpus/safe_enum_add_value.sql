-- expect: none
ALTER TYPE app.run_outcome ADD VALUE IF NOT EXISTS 'skipped' AFTER 'cancelled';
