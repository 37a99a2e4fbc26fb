-- expect: none
UPDATE app.vals SET privacy = 'private' WHERE privacy = 'unlisted' AND id BETWEEN 1 AND 10000;
