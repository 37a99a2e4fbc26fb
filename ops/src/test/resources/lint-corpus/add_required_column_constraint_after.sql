-- expect: VL106, VL120
ALTER TABLE app.users ADD COLUMN email text CONSTRAINT users_email_nn NOT NULL CHECK (email <> '');
