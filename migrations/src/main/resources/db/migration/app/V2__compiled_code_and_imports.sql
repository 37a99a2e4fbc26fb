-- Vals are saved as TypeScript (or JavaScript) and run as JavaScript: each version keeps the source
-- the author wrote (code) next to the JavaScript compiled from it when it was saved (compiled) and
-- the module specifiers that JavaScript imports (imports), so loading a val resolves its imports
-- without compiling anything. Rows saved before this migration have neither and run their code as
-- it is (it was plain JavaScript then).

ALTER TABLE app.val_versions
    ADD COLUMN compiled text,
    ADD COLUMN imports  text[];

INSERT INTO control.schema_contract (version, kind, min_code_level, description)
VALUES (2, 'expand', 0, 'val versions keep compiled JavaScript and their imports next to the source');
