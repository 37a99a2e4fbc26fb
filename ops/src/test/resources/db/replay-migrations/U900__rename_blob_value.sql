-- Test only (DeployReplayTest): the undo script of V900, run by `ops migrate --undo 900`, which removes
-- V900's contract and history rows in the same transaction.
ALTER TABLE app.blobs RENAME COLUMN contents TO value;
