-- expect: VL122
ALTER TABLE app.blobs ADD CONSTRAINT blobs_owner_fk FOREIGN KEY (owner_id) REFERENCES app.users (id) NOT VALID;
