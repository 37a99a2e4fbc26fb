-- expect: none
ALTER TABLE app."DROP" ADD COLUMN "TRUNCATE" text;
