-- expect: VL000
UPDATE app.vals SET name = 'oops WHERE id = 1;
