-- expect: VL102
DROP VIEW app.active_vals;
