-- expect: VL102
DROP MATERIALIZED VIEW app.run_stats;
