-- expect: VL118
WITH gone AS (SELECT id FROM app.users WHERE role = 'admin') DELETE FROM app.blobs USING gone;
