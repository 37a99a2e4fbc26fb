-- expect: none
CREATE TABLE app.labels (id bigint, val_id bigint, name text);
ALTER TABLE app.labels ADD CONSTRAINT labels_val_fk FOREIGN KEY (val_id) REFERENCES app.vals (id);
ALTER TABLE app.labels ALTER COLUMN name SET NOT NULL;
ALTER TABLE app.labels ADD PRIMARY KEY (id);
