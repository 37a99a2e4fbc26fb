-- expect: none
DELETE FROM app.runs WHERE started_at < now() - interval '90 days';
