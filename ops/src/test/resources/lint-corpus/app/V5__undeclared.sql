-- expect: VL001
ALTER TABLE app.vals ADD COLUMN description text;
