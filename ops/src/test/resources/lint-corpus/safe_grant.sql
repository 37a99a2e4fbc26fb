-- expect: none
GRANT SELECT ON app.vals TO reporting;
