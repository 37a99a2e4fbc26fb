-- expect: VL105
ALTER TABLE app.users ALTER COLUMN role SET DATA TYPE varchar(10);
