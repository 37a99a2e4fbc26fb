-- Users get an email address: std/email sends a val's mail to its owner's own address (unless the
-- operator allows any recipient), as Val Town does. Optional, set by an admin when creating the user
-- or by the user (PATCH /api/v1/me). Expand: a new nullable column; older code never names it.

ALTER TABLE app.users ADD COLUMN email text;

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (5, 'expand', 0, 'users may have an email address, where std/email sends');
