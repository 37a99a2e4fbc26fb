-- expect: none
SET lock_timeout = '5s';
ALTER TABLE app.vals ADD COLUMN note text;
