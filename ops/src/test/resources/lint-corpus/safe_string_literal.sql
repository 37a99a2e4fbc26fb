-- expect: none
INSERT INTO app.blobs (owner_id, key, value) VALUES (1, 'DROP TABLE app.vals; DELETE FROM app.runs', '\x00');
