package dev.valence.ops.lint;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every check the linter makes, with its stable code. {@code breaksPreviousRelease}: the previous
 * release's code fails against the migrated schema. {@code locksHeavily}: the statement blocks reads or
 * writes of a table for as long as it scans or rewrites it. VL0xx are Valence's own project rules.
 */
enum Rule {
    UNREADABLE_SQL("VL000", Severity.ERROR, false, false, "%s",
            "close the quote or comment; every statement must be readable SQL",
            "The file could not be split into statements: a quote, dollar quote or comment is never closed."),
    UNDECLARED_APP_MIGRATION("VL001", Severity.ERROR, false, false, "%s",
            "end it with INSERT INTO control.schema_contract (version, kind, min_code_level, description) VALUES (N, 'expand', 0, '...');",
            "Every app migration ends by declaring itself in control.schema_contract: 'expand' (older code keeps working, minimum 0) or 'contract' (code below the given level breaks). The schema guard reads these rows; the build (migrations/build-info.sh) refuses a file without exactly one correct declaration."),
    EXPAND_BREAKS_PREVIOUS_RELEASE("VL002", Severity.ERROR, false, false, "app v%d declares expand but %s",
            "declare contract with the lowest code level that survives it, or split it",
            "An expand migration promises that every older build keeps working. A breaking operation in it makes the schema guard let old instances run against a schema they cannot use."),
    CONTROL_BREAKS_PREVIOUS_RELEASE("VL003", Severity.ERROR, false, false, "control v%d is expand-only but %s",
            "add alongside instead; control is never contracted, so old builds keep their heartbeats and status page",
            "Every build, old or new, reads and writes the control schema while app is mismatched; a breaking change there takes down what must keep running."),
    APPLIED_MIGRATION_CHANGED("VL004", Severity.ERROR, false, false, "%s",
            "restore the file as it was applied (git log -p on it) and put the change in a new migration",
            "Flyway records the CRC32 checksum of each applied migration; a changed file fails validation on every later migrate, and the change itself never runs on databases that already applied it."),
    UNDO_SCRIPT("VL005", Severity.ERROR, false, false, "%s",
            "leave control.schema_contract and app.flyway_schema_history to ops migrate --undo",
            "An undo script U<version>__<description>.sql sits beside its app migration V<version>__<description>.sql. ops migrate --undo runs it and removes the migration's control.schema_contract row and its Flyway history row in the same transaction; a script that writes those itself, an undo of a control migration (control is never undone) or a script without its migration beside it cannot work that way."),
    DROP_COLUMN("VL101", Severity.ERROR, true, false, "drops column %s, which the previous release still reads and writes",
            "stop using the column in code, release, then drop it in a later contract migration",
            "The previous release's SELECTs and INSERTs name the column and fail with SQLSTATE 42703 the moment it is gone."),
    DROP_RELATION("VL102", Severity.ERROR, true, true, "drops %s %s, which the previous release still uses",
            "remove every use first, release, then drop it in a later contract migration",
            "Queries of the previous release against a dropped table, view or schema fail with SQLSTATE 42P01. DROP also waits for an ACCESS EXCLUSIVE lock."),
    RENAME_COLUMN("VL103", Severity.ERROR, true, false, "renames column %s to %s, so the previous release's queries fail",
            "add the new column, write both, backfill, switch reads, then drop the old one in a contract migration (or keep the old name in a view)",
            "A rename is instant, and instantly breaks every query of the previous release that names the old column."),
    RENAME_TABLE("VL104", Severity.ERROR, true, false, "renames table %s to %s, so the previous release's queries fail",
            "keep the name, or create the new table and keep a view with the old name during the transition",
            "RENAME TO and SET SCHEMA change the name the previous release's queries use."),
    ALTER_COLUMN_TYPE("VL105", Severity.ERROR, true, true,
            "changes the type of column %s to %s, which rewrites the table under an ACCESS EXCLUSIVE lock and can break the previous release",
            "only widen in place (varchar(n) to text or to a wider varchar); otherwise add a new column, sync it, and switch over",
            "Most type changes rewrite the table and every index while holding an ACCESS EXCLUSIVE lock, and the previous release may write values the new type rejects. Binary-coercible widening (varchar(n) to text, varchar(n) to varchar(m) with m >= n) is exempt when the old type is known from an earlier migration."),
    ADD_REQUIRED_COLUMN("VL106", Severity.ERROR, true, false,
            "adds column %s as NOT NULL without a DEFAULT, so the previous release's INSERTs fail",
            "add it nullable, or with a constant DEFAULT (instant since PostgreSQL 11)",
            "The previous release does not know the column, so its INSERTs omit it and violate NOT NULL (SQLSTATE 23502)."),
    SET_NOT_NULL("VL107", Severity.ERROR, true, true,
            "sets column %s NOT NULL, which fails the previous release's writes of NULL and scans the table under an ACCESS EXCLUSIVE lock",
            "make the code write values first; add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated CHECK proves it, and rejects the previous release's NULL writes."),
    DROP_NOT_NULL("VL108", Severity.ERROR, true, false,
            "drops NOT NULL from column %s, so the previous release may read NULLs it does not expect",
            "deploy readers that tolerate NULL first, then drop the constraint",
            "Code that assumed a value crashes or misbehaves on the first NULL the new release writes."),
    CONSTRAINT_WITHOUT_NOT_VALID("VL109", Severity.ERROR, true, true,
            "adds %s on %s without NOT VALID, which scans the table under lock and can reject the previous release's writes",
            "fix the writers first; add it NOT VALID, then VALIDATE CONSTRAINT in a separate migration",
            "Adding a CHECK or FOREIGN KEY validates every row while blocking writes (and, for a foreign key, the referenced table). NOT VALID makes it instant; VALIDATE CONSTRAINT later takes a weaker lock."),
    CONSTRAINT_BUILDING_INDEX("VL110", Severity.ERROR, true, true,
            "adds %s on %s by building its index under lock, which can reject the previous release's writes",
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX",
            "ADD UNIQUE or PRIMARY KEY builds an index while holding a lock that blocks every write; USING INDEX attaches an index built concurrently instead."),
    CREATE_INDEX_LOCKING("VL111", Severity.WARNING, false, true,
            "creates index %son %s without CONCURRENTLY, which blocks writes to the table while it builds",
            "CREATE INDEX CONCURRENTLY, in a migration of its own (it cannot run inside a transaction)",
            "A plain CREATE INDEX holds a SHARE lock for the whole build: reads go on, writes wait. A table created in the same file is exempt."),
    DROP_INDEX_LOCKING("VL112", Severity.WARNING, false, true,
            "drops index %s without CONCURRENTLY, which blocks reads and writes of its table while it waits and drops",
            "DROP INDEX CONCURRENTLY, in a migration of its own (it cannot run inside a transaction)",
            "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. An index created in the same file is exempt."),
    RENAME_ENUM_VALUE("VL113", Severity.ERROR, true, false,
            "renames value %s of enum %s to %s, so the previous release's writes of the old value fail",
            "add the new value, handle both in code, backfill, and retire the old one in a later release",
            "The previous release still writes and compares the old label; after the rename it is invalid input for the enum (SQLSTATE 22P02)."),
    DROP_TYPE("VL114", Severity.ERROR, true, false, "drops type %s, which the previous release's columns and casts still use",
            "an enum value cannot be removed in place: create a new type, migrate the columns, release, then drop the old type in a contract migration",
            "PostgreSQL cannot remove a value from an enum; the only way is a new type, and dropping the old one breaks every query of the previous release that casts to it."),
    SET_DEFAULT("VL115", Severity.ERROR, true, false,
            "sets a new DEFAULT on column %s, so the previous release's INSERTs that omit it store a value it did not choose",
            "change a DEFAULT only once the previous release is gone, in a contract migration",
            "Old code that omits the column relies on the old default (or NULL); a new default silently changes what it stores."),
    DROP_DEFAULT("VL116", Severity.ERROR, true, false,
            "drops the DEFAULT of column %s, so the previous release's INSERTs that omit it store NULL or fail",
            "drop a DEFAULT only once the previous release is gone, in a contract migration",
            "Old code that omits the column relies on its default; without it, NOT NULL columns reject those INSERTs."),
    REWRITING_DEFAULT("VL117", Severity.WARNING, false, true,
            "adds column %s with %s, which rewrites the whole table under an ACCESS EXCLUSIVE lock",
            "add it nullable (or with a constant DEFAULT, instant since PostgreSQL 11), then backfill in batches",
            "Since PostgreSQL 11 a constant (or STABLE, such as now()) default is stored once and the ADD COLUMN is instant; a volatile default, a serial, an identity or a stored generated column computes a value per row and rewrites the table."),
    DML_WITHOUT_WHERE("VL118", Severity.WARNING, false, false, "%s every row of %s (no WHERE clause)",
            "backfill or delete in batches with a WHERE clause, idempotently, and keep old values until the previous release is retired",
            "A whole-table DELETE or UPDATE in a migration is one long transaction that locks every row it touches and cannot be resumed; it is also data loss the previous release may still need."),
    TRUNCATE("VL119", Severity.WARNING, false, true, "truncates %s, removing every row under an ACCESS EXCLUSIVE lock",
            "delete in batches with a WHERE clause, or drop the table in a contract migration once nothing uses it",
            "TRUNCATE empties the table at once and blocks every reader and writer until the migration commits."),
    CHECK_WITH_NEW_COLUMN("VL120", Severity.ERROR, false, true,
            "adds column %s with a CHECK, which PostgreSQL verifies against every existing row under an ACCESS EXCLUSIVE lock",
            "add the column alone, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later migration",
            "A CHECK declared with ADD COLUMN is checked against every row of the table while ALTER TABLE holds its ACCESS EXCLUSIVE lock, even when the column's value is NULL or a constant everywhere; only a constraint added NOT VALID skips the scan."),
    VALIDATE_UNDER_LOCK("VL121", Severity.ERROR, false, true,
            "validates constraint %s on %s in the transaction that already holds a lock blocking writes to it, so its scan blocks the previous release",
            "VALIDATE CONSTRAINT in a migration of its own, after the one that adds the constraint NOT VALID",
            "VALIDATE CONSTRAINT alone takes SHARE UPDATE EXCLUSIVE, which lets writes go on while it scans. But locks are held until the transaction commits: after an ALTER TABLE (ACCESS EXCLUSIVE) or a plain CREATE INDEX (SHARE) on the same table in the same migration, the scan runs while every write waits."),
    CONSTRAINT_ON_OLD_WRITES("VL122", Severity.WARNING, false, false,
            "adds %s on %s, which checks every write of the previous release from now on (NOT VALID only skips the existing rows), and nothing the schema already enforces implies it",
            "make sure the previous release never writes a value that fails it (or release code that does not first), then add it",
            "NOT VALID skips the scan of existing rows, but PostgreSQL checks every row inserted or updated afterwards, including the previous release's. Unless a constraint the table already has (NOT NULL, an identical CHECK, the same foreign key) implies the new one, the linter cannot know those writes pass, so it warns (an error with --strict) rather than refuse."),
    DROP_UNIQUE("VL123", Severity.ERROR, true, false,
            "drops %s, the unique index of %s on (%s), so the previous release's ON CONFLICT on those columns finds no arbiter and duplicates get in",
            "keep a plain unique index on the same columns (create the new one first), or stop relying on it in code before dropping it",
            "INSERT ... ON CONFLICT (columns) needs a unique index on exactly those columns without a predicate or expression (partial and expression indexes are inferred only when the query repeats their WHERE or expression); without one it fails with SQLSTATE 42P10. Dropping the index also lets duplicates in that the previous release does not expect."),
    RENAME_UNIQUE_CONSTRAINT("VL124", Severity.ERROR, true, false,
            "renames constraint %s on %s to %s, so the previous release's ON CONFLICT ON CONSTRAINT %s fails",
            "keep the constraint's name until the previous release is gone",
            "ON CONFLICT ON CONSTRAINT names a unique, primary key or exclusion constraint; renaming it (ALTER TABLE ... RENAME CONSTRAINT or ALTER INDEX ... RENAME on its index) fails those statements with SQLSTATE 42704. CHECK and foreign key names are never named by queries."),
    RENAME_OBJECT("VL125", Severity.ERROR, true, false, "renames %s %s to %s, so the previous release's queries that name it fail",
            "create the new object beside the old one (or a view, function or sequence under the old name), release, then drop the old name in a contract migration",
            "Views, functions, sequences (nextval('name')) and types (casts such as 'x'::type) are named by queries; after a rename or SET SCHEMA the old name no longer resolves (SQLSTATE 42P01, 42883 or 42704). Column defaults keep working because they store the sequence's OID, but code that names the sequence does not."),
    DROP_OBJECT("VL126", Severity.ERROR, true, false, "drops %s %s, which the previous release's queries may call or name",
            "remove every use first, release, then drop it in a later contract migration",
            "Queries of the previous release that call a dropped function or sequence (or one of a dropped extension) fail with SQLSTATE 42883 or 42P01."),
    REPLACE_VIEW("VL127", Severity.ERROR, true, false,
            "replaces view %s with a query that answers differently, so the previous release reads other rows or values",
            "create a new view under a new name and switch code to it; CREATE OR REPLACE may only append columns",
            "CREATE OR REPLACE VIEW takes effect at once for every query of the previous release. Appending columns at the end (which is all PostgreSQL allows without dropping the view) keeps its answers; any other change of the query changes them."),
    REPLACE_FUNCTION("VL128", Severity.ERROR, true, false,
            "replaces the body of function %s, so the previous release's calls may return other results",
            "create the function under a new name and switch code to it, or keep the results identical",
            "CREATE OR REPLACE FUNCTION changes what every caller gets at once, the previous release included. Only a body identical to the old one (a final cast to the declared result type aside, which PostgreSQL applies anyway) is known to answer the same."),
    DROP_IDENTITY("VL129", Severity.ERROR, true, false,
            "drops the identity of column %s, so the previous release's INSERTs that omit it store NULL or fail",
            "keep the identity (or a DEFAULT nextval(...)) until the previous release is gone",
            "Without its identity the column has no default: INSERTs that leave it out violate NOT NULL (SQLSTATE 23502)."),
    ROW_TRIGGER_CHANGES_WRITES("VL130", Severity.ERROR, true, false,
            "creates a trigger on %s calling %s, which can change, skip or refuse the rows the previous release writes",
            "use an AFTER trigger that neither raises nor changes the row, or make the new code write the value itself",
            "A BEFORE ... FOR EACH ROW trigger's function may assign NEW's columns or return NULL: the previous release then stores (or reads back through RETURNING) something other than what it wrote. Any trigger whose function raises an exception aborts the write that fired it. An AFTER trigger that does neither leaves the previous release's writes as they were."),
    REBUILD_UNDER_LOCK("VL131", Severity.WARNING, false, true, "%s %s, which rebuilds it under a lock that blocks the previous release",
            "REINDEX ... CONCURRENTLY and REFRESH MATERIALIZED VIEW CONCURRENTLY in a migration of their own; run CLUSTER, VACUUM FULL and SET LOGGED/UNLOGGED outside migrations, in a maintenance window",
            "REINDEX (SHARE on the table, ACCESS EXCLUSIVE on the index), CLUSTER and VACUUM FULL (ACCESS EXCLUSIVE), REFRESH MATERIALIZED VIEW (ACCESS EXCLUSIVE on the view), SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD and a generated column's SET EXPRESSION (a rewrite or copy under ACCESS EXCLUSIVE) work through every row while the previous release waits."),
    PARTITION_SCAN("VL132", Severity.ERROR, false, true, "%s, which scans %s under a lock that blocks its writes",
            "before ATTACH, add a CHECK matching the partition bound NOT VALID and VALIDATE it; keep the DEFAULT partition empty before adding partitions beside it",
            "ATTACH PARTITION scans the new partition to verify its bound (under ACCESS EXCLUSIVE on it) unless a valid CHECK constraint proves it, and adding a partition beside a DEFAULT partition scans the DEFAULT one to check none of its rows belong to the new bound."),
    DETACH_PARTITION("VL133", Severity.ERROR, true, false,
            "detaches partition %s from %s, so the previous release's queries of %s no longer see its rows",
            "detach a partition only once no code reads its rows through the parent",
            "After DETACH PARTITION the rows stay in the detached table, but queries of the partitioned table no longer return them."),
    TYPE_CHANGE_RECHECKS("VL134", Severity.ERROR, false, true,
            "changes the type of column %s to %s without a rewrite, but PostgreSQL re-verifies %s against every row under an ACCESS EXCLUSIVE lock",
            "drop the CHECK first (or add the domain's constraint NOT VALID later), change the type, then add the CHECK NOT VALID and VALIDATE it",
            "A type change with a binary-coercible cast skips the rewrite, yet ALTER COLUMN TYPE drops and re-adds every CHECK that names the column (re-verified on all rows), and a domain's constraints are checked on every row."),
    PRIVILEGE_REVOKED("VL135", Severity.ERROR, true, false,
            "revokes %s on %s from %s, so the previous release's statements that need it fail with SQLSTATE 42501 (permission denied)",
            "revoke a privilege only once no running release uses it (a contract migration); grant the new role first when moving to another",
            "REVOKE takes effect for every session at once. If the previous release connects as the role (or a member of it, or PUBLIC covers it), its reads, writes, nextval calls or function calls that needed the privilege are refused. REVOKE GRANT OPTION FOR only removes the right to grant onward and is exempt."),
    OWNER_CHANGED("VL136", Severity.ERROR, true, false,
            "changes the owner of %s to %s, so a previous release connecting as the old owner loses the owner's privileges",
            "grant the old owner what the previous release needs before changing the owner, or change it once that release is gone",
            "OWNER TO moves the owner's implicit privileges (and every grant the owner held as owner) to the new owner; the old owner keeps only what was granted to it separately. Row-level security also stops exempting the old owner."),
    ROW_SECURITY("VL137", Severity.ERROR, true, false,
            "%s, so the previous release's queries see only the rows a policy allows and its writes are refused where none does",
            "create the permissive policies the previous release's role needs before (or in the same migration as) ENABLE or FORCE ROW LEVEL SECURITY, and add restrictive policies only once the code obeys them",
            "With row-level security enabled, a role other than the owner (and without BYPASSRLS) sees only rows some permissive policy allows, and none at all when the table has no permissive policy; FORCE makes the owner subject too. A restrictive policy, a dropped policy or an altered one narrows that set at once for every running release."),
    PUBLISHED_WITHOUT_IDENTITY("VL138", Severity.ERROR, true, false,
            "%s, so the previous release's UPDATE and DELETE on %s fail (SQLSTATE 55000: the table has no replica identity covering what is published)",
            "give the table a primary key or REPLICA IDENTITY USING INDEX (or FULL) first, or publish only inserts (WITH (publish = 'insert, truncate'))",
            "A table in a publication that publishes UPDATE or DELETE must have a replica identity: its primary key (DEFAULT), a unique index (USING INDEX) or FULL. Without one, or when a row filter names columns outside it or a column list leaves part of it out, PostgreSQL refuses every UPDATE and DELETE on the table."),
    IDENTITY_ALWAYS("VL139", Severity.ERROR, true, false,
            "makes column %s an identity GENERATED ALWAYS, so the previous release's INSERTs, which must name it (NOT NULL without a default), fail (SQLSTATE 428C9)",
            "add the identity GENERATED BY DEFAULT, and make it ALWAYS once no running release writes the column",
            "An identity column GENERATED ALWAYS refuses explicit values in INSERT (unless OVERRIDING SYSTEM VALUE) and in UPDATE; GENERATED BY DEFAULT accepts them. A column that was NOT NULL without a default is named by every INSERT of the previous release. (SET GENERATED ALWAYS on an identity that was BY DEFAULT is not flagged: code written against an identity omits the column.)"),
    SEQUENCE_RANGE("VL140", Severity.ERROR, true, false,
            "changes sequence %s (%s), so the previous release's inserts may get numbers it already used or no number at all",
            "leave RESTART, MAXVALUE, CYCLE and a narrower AS type out of migrations while the previous release inserts; widen instead (NO MAXVALUE, AS bigint)",
            "nextval fails with SQLSTATE 2200H once a sequence passes its MAXVALUE (a narrower AS type lowers it); RESTART, CYCLE and a negative INCREMENT hand out numbers that rows already hold, so the previous release's inserts fail on the primary key."),
    DROP_EXPRESSION("VL141", Severity.ERROR, true, false,
            "turns generated column %s into a plain column (DROP EXPRESSION), so the previous release's writes leave it NULL or stale",
            "keep the expression until every running release writes the column itself",
            "After DROP EXPRESSION the column keeps its values but is no longer computed: the previous release, which never wrote it, inserts NULL and updates leave it out of date."),
    INSTEAD_RULE("VL142", Severity.ERROR, true, false,
            "%s rule %s on %s, which does INSTEAD of the previous release's writes there, so they now do something else",
            "use a trigger that leaves the write as it is, or change rules only once no running release writes through them",
            "A rule with DO INSTEAD replaces the INSERT, UPDATE or DELETE it matches with its own actions (or with nothing); creating one changes what the previous release's writes do, dropping or disabling one that existed removes what they relied on."),
    TRIGGER_REMOVED("VL143", Severity.ERROR, true, false,
            "%s trigger %s on %s, whose function %s, so the previous release's writes no longer get that",
            "drop or disable a trigger only once no running release relies on what it does (or do its work in the new code first)",
            "A trigger whose function assigns NEW, skips or refuses rows, or writes other tables is part of what the previous release's writes do. Dropping or disabling it (DISABLE TRIGGER, also ALL or USER) changes what those writes store."),
    VIEW_OPTION("VL144", Severity.ERROR, true, false,
            "sets %s on view %s, so %s",
            "set check_option or security_invoker only once the running release's writes and role pass it",
            "WITH CHECK OPTION (check_option) makes INSERT and UPDATE through the view fail when the row falls outside the view's WHERE; security_invoker checks the base tables' privileges and row security against the caller instead of the view's owner.");

    private final String code;
    private final Severity severity;
    private final boolean breaksPreviousRelease;
    private final boolean locksHeavily;
    private final String sentence;
    private final String fix;
    private final String explanation;

    Rule(String code, Severity severity, boolean breaksPreviousRelease, boolean locksHeavily, String sentence, String fix, String explanation) {
        this.code = code;
        this.severity = severity;
        this.breaksPreviousRelease = breaksPreviousRelease;
        this.locksHeavily = locksHeavily;
        this.sentence = sentence;
        this.fix = fix;
        this.explanation = explanation;
    }

    String code() { return code; }
    Severity severity() { return severity; }
    boolean breaksPreviousRelease() { return breaksPreviousRelease; }
    boolean locksHeavily() { return locksHeavily; }
    String fix() { return fix; }
    String explanation() { return explanation; }

    String sentence(Object... arguments) {
        return sentence.formatted(arguments);
    }

    static Optional<Rule> byCode(String code) {
        return Arrays.stream(values()).filter(rule -> rule.code.equalsIgnoreCase(code)).findFirst();
    }
}
