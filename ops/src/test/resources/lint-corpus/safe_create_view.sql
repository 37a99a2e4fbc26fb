-- expect: none
CREATE VIEW app.active_vals AS SELECT * FROM app.vals WHERE privacy <> 'private';
