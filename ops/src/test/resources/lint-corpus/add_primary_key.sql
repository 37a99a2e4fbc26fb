-- expect: VL110
ALTER TABLE app.runs ADD PRIMARY KEY (id);
