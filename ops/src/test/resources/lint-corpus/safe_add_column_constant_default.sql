-- expect: none
ALTER TABLE app.vals ADD COLUMN archived boolean NOT NULL DEFAULT false;
