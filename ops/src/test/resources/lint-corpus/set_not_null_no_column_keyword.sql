-- expect: VL107
ALTER TABLE app.vals ALTER schedule SET NOT NULL;
