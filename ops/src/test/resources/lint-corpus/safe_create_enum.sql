-- expect: none
CREATE TYPE app.val_kind AS ENUM ('http', 'cron', 'script', 'email');
