-- expect: VL115
ALTER TABLE app.vals ALTER COLUMN privacy SET DEFAULT 'unlisted';
