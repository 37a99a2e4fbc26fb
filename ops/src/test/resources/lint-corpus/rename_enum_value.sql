-- expect: VL113
ALTER TYPE app.run_outcome RENAME VALUE 'timeout' TO 'timed_out';
