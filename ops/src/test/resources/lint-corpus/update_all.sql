-- expect: VL118
UPDATE app.vals SET privacy = 'private';
