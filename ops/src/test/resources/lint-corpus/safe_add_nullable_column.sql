-- expect: none
ALTER TABLE app.vals ADD COLUMN description text;
