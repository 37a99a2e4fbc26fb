package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one file's operations into findings, judging each against the schema the earlier migrations (and the
 * file's earlier statements) built, and recording it there. Operations on an object created earlier in the same
 * file are exempt: neither the previous release nor any row depends on what did not exist.
 */
final class RuleChecker {
    private static final Pattern WORD = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Pattern CALL = Pattern.compile("([a-z_][a-z0-9_]*)\\s*\\(");
    private static final Pattern COLLATE = Pattern.compile("(?s)(.*?)\\s*\\bcollate\\b\\s*(.*)");
    private static final Pattern USING = Pattern.compile("\\busing\\b");
    /** A PL/pgSQL assignment to a column of NEW, or a RETURN NULL that skips the row. */
    private static final Pattern CHANGES_ROW = Pattern.compile("new\\s*\\.\\s*\"?\\w+\"?\\s*:?=(?!=)|return\\s+null");
    /** RAISE EXCEPTION (RAISE without a level raises one too) aborts the write that fired the trigger, AFTER ones included. */
    private static final Pattern REFUSES_ROW = Pattern.compile("raise\\s+(exception|sqlstate|'|using|;)");
    /** A statement in a function body that writes rows of some table. */
    private static final Pattern WRITES = Pattern.compile("\\b(insert\\s+into|update\\s+\\S+\\s+set|delete\\s+from)\\b");
    private static final Map<String, String> TYPE_ALIASES = Map.of("int", "integer", "int4", "integer", "int8", "bigint",
            "int2", "smallint", "bool", "boolean", "float8", "double precision", "float4", "real", "decimal", "numeric");

    private final String file;
    private final SchemaModel model;
    private final boolean oneTransaction;
    private final Set<String> created = new HashSet<>();
    private final Set<String> writeLocked = new HashSet<>();
    /** Columns this file adds, {@code table.column}: the previous release never writes them. */
    private final Set<String> addedColumns = new HashSet<>();
    /** Every column this file adds, with or without a default: no query of the previous release names them. */
    private final Set<String> newColumns = new HashSet<>();
    private final Map<String, Finding> renamedTables = new HashMap<>();
    /** Zones whose offset is zero at all times, so timestamp and timestamptz hold the same microseconds in them. */
    private static final Set<String> UTC_ZONES = Set.of("utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "gmt0", "etc/gmt0",
            "universal", "etc/universal", "zulu", "etc/zulu", "greenwich", "etc/greenwich", "z");
    /** True once the file set the session's TimeZone to UTC; Flyway's session zone is otherwise the JVM's, unknown here. */
    private boolean utcSession;
    private final List<Finding> findings = new ArrayList<>();
    /** The operation each finding judged, for the deploy context that may settle it ({@link DeployContext}). */
    private final Map<Finding, Operation> operations = new java.util.IdentityHashMap<>();
    /** The rows of the database the migration will run on ({@code --database}), for what only they can tell. */
    private final Optional<LiveRows> rows;
    private final long smallTableRows;
    /**
     * Verdicts that depend on the state the whole file leaves: a file runs in one transaction, and no other session sees
     * its catalog changes before the commit (a policy created after ENABLE ROW LEVEL SECURITY is in place at once).
     */
    private final List<Runnable> atCommit = new ArrayList<>();

    /** {@code oneTransaction}: the file runs in one transaction, so every lock it takes is held to its end. */
    RuleChecker(String file, SchemaModel model, boolean oneTransaction) {
        this(file, model, oneTransaction, Optional.empty(), 0);
    }

    /** {@code rows}: the database's rows, with {@code smallTableRows} the count of changed rows that locks for moments. */
    RuleChecker(String file, SchemaModel model, boolean oneTransaction, Optional<LiveRows> rows, long smallTableRows) {
        this.file = file;
        this.model = model;
        this.oneTransaction = oneTransaction;
        this.rows = rows;
        this.smallTableRows = smallTableRows;
    }

    List<Finding> check(List<Operation> operations) {
        for (Operation operation : operations) check(operation);
        atCommit.forEach(Runnable::run);
        return findings;
    }

    /** Runs {@code verdict} once the file's transaction would commit, or at once when its statements commit one by one. */
    private void atCommit(Runnable verdict) {
        if (oneTransaction) atCommit.add(verdict);
        else verdict.run();
    }

    /** The operation {@code finding} (one this checker reported) judged; null for any other. */
    Operation operationOf(Finding finding) {
        return operations.get(finding);
    }

    private void check(Operation op) {
        String column = op.qualifiedColumn();
        String table = op.target();
        switch (op.kind()) {
            case CREATES_TABLE -> created.add(SchemaModel.bare(table));
            case DEFINES_COLUMN -> {
                model.define(table, op.definition());
                recordInlineConstraints(table, op.definition());
            }
            case ADDS_COLUMN -> addColumn(op);
            case DROP_COLUMN -> {
                if (!newColumns.contains(SchemaModel.bare(table) + "." + op.column())) report(Rule.DROP_COLUMN, op, column);
            }
            case DROP_RELATION -> report(Rule.DROP_RELATION, op, op.detail(), table);
            case RENAME_COLUMN -> {
                if (newColumns.contains(SchemaModel.bare(table) + "." + op.column())) newColumns.add(SchemaModel.bare(table) + "." + op.detail());
                else report(Rule.RENAME_COLUMN, op, column, op.detail());
                model.renameColumn(table, op.column(), op.detail());
            }
            case RENAME_TABLE -> {
                Optional<Finding> finding = report(Rule.RENAME_TABLE, op, table, op.detail());
                finding.ifPresent(f -> renamedTables.put(SchemaModel.bare(table), f));
            }
            case ALTER_COLUMN_TYPE -> typeChange(op);
            case SESSION_TIME_ZONE -> utcSession = UTC_ZONES.contains(op.detail());
            case SET_NOT_NULL -> {
                if (!provenNotNull(table, op.column())) report(Rule.SET_NOT_NULL, op, column);
                model.setNotNull(table, op.column(), true);
            }
            case DROP_NOT_NULL -> {
                report(Rule.DROP_NOT_NULL, op, column);
                model.setNotNull(table, op.column(), false);
            }
            case ADD_CHECK -> addCheck(op);
            case ADD_FOREIGN_KEY -> addForeignKey(op);
            case ADD_UNIQUE -> addUnique(op);
            case DROP_CONSTRAINT -> {
                model.unique(op.column()).filter(SchemaModel.UniqueKey::constraint)
                        .ifPresent(key -> dropUnique(op, op.column(), key));
                model.dropConstraint(table, op.column());
                if (facts().dropPrimaryKey(table, op.column()) && facts().publishedForChanges(table)
                        && facts().identityColumns(table).isEmpty()) {
                    report(Rule.PUBLISHED_WITHOUT_IDENTITY, op, "drops the primary key " + op.column() + " of " + table
                            + ", its replica identity in a publication", table);
                }
            }
            case RENAME_CONSTRAINT -> {
                if (model.unique(op.column()).filter(SchemaModel.UniqueKey::constraint).isPresent()) {
                    report(Rule.RENAME_UNIQUE_CONSTRAINT, op, op.column(), table, op.detail(), op.column());
                }
                model.renameIndex(op.column(), op.detail());
            }
            case VALIDATE_CONSTRAINT -> {
                if (oneTransaction && writeLocked.contains(SchemaModel.bare(table))) {
                    report(Rule.VALIDATE_UNDER_LOCK, op, op.column(), table);
                }
                model.validate(table, op.column());
            }
            case WRITE_LOCK -> writeLocked.add(SchemaModel.bare(table));
            case CREATE_INDEX -> createIndex(op);
            case DROP_INDEX -> dropIndex(op);
            case RENAME_INDEX -> {
                if (model.unique(table).filter(SchemaModel.UniqueKey::constraint).isPresent()) {
                    report(Rule.RENAME_UNIQUE_CONSTRAINT, op, table, model.unique(table).get().table(), op.detail(), table);
                }
                model.renameIndex(table, op.detail());
            }
            case RENAME_OBJECT -> report(Rule.RENAME_OBJECT, op, op.arg(0), table, op.detail());
            case DROP_OBJECT -> report(Rule.DROP_OBJECT, op, op.detail(), table);
            case RENAME_ENUM_VALUE -> report(Rule.RENAME_ENUM_VALUE, op, op.column(), table, op.detail());
            case DROP_TYPE -> report(Rule.DROP_TYPE, op, table);
            case SET_DEFAULT -> setDefault(op);
            case DROP_DEFAULT -> {
                boolean hadNone = model.column(table, op.column()).map(c -> c.defaultExpression().isEmpty()).orElse(false);
                if (!hadNone) report(Rule.DROP_DEFAULT, op, column);
                model.setDefault(table, op.column(), "");
            }
            case DROP_IDENTITY -> report(Rule.DROP_IDENTITY, op, column);
            case DML_WITHOUT_WHERE -> report(Rule.DML_WITHOUT_WHERE, op, op.detail(), table);
            case DML_WITH_WHERE -> dataChange(op);
            case TRUNCATE -> report(Rule.TRUNCATE, op, table);
            case REBUILD -> report(Rule.REBUILD_UNDER_LOCK, op, op.detail(), table);
            case CREATE_VIEW -> createView(op);
            case CREATE_FUNCTION -> createFunction(op);
            case CREATE_TRIGGER -> trigger(op);
            case CREATE_DOMAIN -> model.defineDomain(table, new SchemaModel.Domain(normalType(op.detail()), !op.arg(0).isEmpty()));
            case DOMAIN_ADD_CHECK -> {
                if (!model.domainInUse(table)) return;
                if (op.arg(0).isEmpty()) report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, op, "a constraint of domain " + table, "every column of that type");
                else report(Rule.CONSTRAINT_ON_OLD_WRITES, op, "a CHECK constraint of domain " + table, "every column of that type");
            }
            case CREATE_PARTITIONED -> model.definePartitioned(table, op.detail());
            case CREATE_PARTITION -> {
                if (op.arg(0).equals("default")) model.addDefaultPartition(table);
                else if (model.hasDefaultPartition(table)) {
                    report(Rule.PARTITION_SCAN, op, "creates partition " + op.detail() + " of " + table + " beside its DEFAULT partition",
                            "the DEFAULT partition");
                }
            }
            case ATTACH_PARTITION -> attachPartition(op);
            case DETACH_PARTITION -> report(Rule.DETACH_PARTITION, op, op.detail(), table, table);
            case GRANT -> {
                for (String role : op.args().subList(1, op.args().size())) facts().grant(table, role);
            }
            case REVOKE -> revoke(op);
            case OWNER_CHANGE -> report(Rule.OWNER_CHANGED, op, op.arg(0) + " " + table, op.detail());
            case ROW_SECURITY -> rowSecurity(op);
            case CREATE_POLICY -> {
                if (op.arg(0).isEmpty() && !op.arg(1).isEmpty()) facts().addOpenPolicy(table);
                else if (!op.arg(0).isEmpty() && rowSecurityApplies(table)) {
                    report(Rule.ROW_SECURITY, op, "adds restrictive policy " + op.detail() + " on " + table);
                }
            }
            case DROP_POLICY -> {
                if (rowSecurityApplies(table)) report(Rule.ROW_SECURITY, op, op.arg(0) + " policy " + op.detail() + " on " + table + ", whose row security is on");
            }
            case PUBLICATION -> publication(op);
            case REPLICA_IDENTITY -> replicaIdentity(op);
            case IDENTITY_CHANGE -> identityChange(op);
            case SEQUENCE_CHANGE -> report(Rule.SEQUENCE_RANGE, op, column, op.detail());
            case DROP_EXPRESSION -> {
                if (!newColumns.contains(SchemaModel.bare(table) + "." + op.column())) report(Rule.DROP_EXPRESSION, op, column);
            }
            case CREATE_RULE -> {
                boolean instead = !op.arg(0).isEmpty();
                if (instead) report(Rule.INSTEAD_RULE, op, "creates", op.detail(), table);
                facts().defineRule(table, op.detail(), instead);
            }
            case REMOVE_RULE -> {
                if (facts().insteadRule(table, op.detail())) report(Rule.INSTEAD_RULE, op, op.arg(0), op.detail(), table);
                if (op.arg(0).equals("drops")) facts().defineRule(table, op.detail(), false);
            }
            case REMOVE_TRIGGER -> removeTrigger(op);
            case ENABLE_TRIGGER -> facts().trigger(table, op.detail()).ifPresent(t -> judgeTrigger(op, t.function(), false));
            case VIEW_OPTION -> report(Rule.VIEW_OPTION, op, op.detail(), table, op.arg(0));
            case FUNCTION_CHANGE -> report(Rule.FUNCTION_BEHAVIOUR, op, table, op.detail());
            case INHERITANCE -> {
                // the child is the table altered; its rows join or leave every query of the parent
                if (op.arg(0).equals("no")) report(Rule.DETACH_PARTITION, op, table, op.detail(), op.detail());
                else if (!created.contains(SchemaModel.bare(table))) report(Rule.INHERITANCE_ADDED, op, table, op.detail(), op.detail());
            }
        }
    }

    /**
     * A REVOKE takes away only what was granted: a role never granted anything on the object (nor on its schema's
     * objects, nor by default privileges) loses nothing. PUBLIC holds EXECUTE on functions and USAGE on types and
     * languages by default, so revoking those from it always counts.
     */
    private void revoke(Operation op) {
        String object = op.target();
        String kind = op.arg(0);
        List<String> roles = op.args().subList(Math.min(1, op.args().size()), op.args().size());
        boolean publicDefault = Set.of("function", "functions", "procedure", "procedures", "routine", "routines", "type", "domain", "language")
                .contains(kind);
        for (String role : roles) {
            if (facts().granted(object, role) || role.equals("public") && publicDefault) {
                String what = kind.equals("role") ? "membership in " + object.substring("role:".length())
                        : op.detail() + " on " + (object.startsWith("schema:") ? "every " + kind + " in schema " + object.substring(7) : object);
                report(Rule.PRIVILEGE_REVOKED, op, what, role);
                return;
            }
        }
    }

    /** Row security filters someone: roles granted the table while it is enabled, the owner too once it is forced. */
    private boolean rowSecurityApplies(String table) {
        return facts().rowSecurity(table) && (facts().grantedToAnyRole(table) || facts().forcedRowSecurity(table));
    }

    private TableFacts facts() {
        return model.facts();
    }

    /**
     * ENABLE or FORCE ROW LEVEL SECURITY leaves the roles it applies to only the rows some permissive policy admits (none
     * without a policy). Only a permissive policy for ALL commands that is true both ways proves the previous release
     * still sees and writes every row; any other policy's expression is a filter the previous release never applied.
     * ENABLE exempts the owner (the role the migrations run as), so it matters only when some other role was granted
     * the table; FORCE takes the owner's exemption away.
     */
    private void rowSecurity(Operation op) {
        String table = op.target();
        switch (op.detail()) {
            case "enable" -> {
                if (!facts().rowSecurity(table)) {
                    atCommit(() -> {
                        if (facts().rowSecurity(table) && rowSecurityApplies(table) && !facts().hasOpenPolicy(table)) {
                            report(Rule.ROW_SECURITY, op, "enables row-level security on " + table + ", which has no policy admitting every row");
                        }
                    });
                }
                facts().rowSecurity(table, true);
            }
            case "force" -> {
                // FORCE only takes the owner's exemption away: without ENABLE no policy applies to anyone
                if (!facts().forcedRowSecurity(table)) {
                    atCommit(() -> {
                        if (facts().rowSecurity(table) && facts().forcedRowSecurity(table) && !facts().hasOpenPolicy(table)) {
                            report(Rule.ROW_SECURITY, op, "forces row-level security on " + table + " (its owner included), which has no policy admitting every row");
                        }
                    });
                }
                facts().forceRowSecurity(table, true);
            }
            case "disable" -> {
                if (rowSecurityApplies(table) && !facts().hasOpenPolicy(table)) {
                    report(Rule.ROW_SECURITY_LIFTED, op, "disables row-level security on " + table + ", whose policies filtered "
                            + (facts().grantedToAnyRole(table) ? "the roles granted it" : "its owner (FORCE)"));
                }
                facts().rowSecurity(table, false);
            }
            default -> {
                if (facts().rowSecurity(table) && facts().forcedRowSecurity(table) && !facts().hasOpenPolicy(table)) {
                    report(Rule.ROW_SECURITY_LIFTED, op, "stops forcing row-level security on " + table + ", whose policies filtered its owner");
                }
                facts().forceRowSecurity(table, false);
            }
        }
    }

    /** A publication (created, extended, re-optioned) is judged on each table it publishes UPDATE and DELETE for. */
    private void publication(Operation op) {
        String name = op.target();
        if (op.detail().equals("drop")) {
            facts().dropPublication(name);
            return;
        }
        Optional<TableFacts.Publication> old = facts().publication(name);
        boolean changes = op.detail().equals("options") ? !op.arg(0).isEmpty() : old.map(TableFacts.Publication::updatesAndDeletes).orElse(true);
        if (op.detail().equals("create")) changes = !op.arg(0).isEmpty();
        boolean allTables = !op.arg(1).isEmpty() || old.map(TableFacts.Publication::allTables).orElse(false);
        Set<String> tables = new LinkedHashSet<>(op.detail().equals("add") || op.detail().equals("options")
                ? old.map(TableFacts.Publication::tables).orElse(Set.of()) : Set.of());
        List<String[]> specs = new ArrayList<>();
        for (String spec : op.args().subList(Math.min(2, op.args().size()), op.args().size())) {
            String[] parts = spec.split("\\|", -1);
            if (parts[0].startsWith("schema ")) continue;
            specs.add(parts);
            tables.add(parts[0]);
        }
        facts().publish(name, new TableFacts.Publication(changes, allTables, tables));
        if (!changes) return;
        if (op.detail().equals("options")) {
            for (String table : tables) specs.add(new String[] {table, "", ""});
        }
        if (allTables) {
            for (String table : model.tables()) if (!created.contains(table)) specs.add(new String[] {table, "", ""});
        }
        Set<String> judged = new HashSet<>();
        for (String[] spec : specs) {
            if (created.contains(spec[0]) || !judged.add(spec[0])) continue;
            String problem = identityProblem(spec[0], spec[1], spec[2]);
            if (!problem.isEmpty()) report(Rule.PUBLISHED_WITHOUT_IDENTITY, op, "publishes " + spec[0] + " in " + name + " " + problem, spec[0]);
        }
    }

    /** Why the table's replica identity cannot serve a publication with this column list and row filter, or empty. */
    private String identityProblem(String table, String columnList, String filter) {
        List<String> identity = facts().identityColumns(table);
        if (identity.isEmpty()) return "without a primary key or replica identity";
        boolean full = identity.equals(List.of("*"));
        Set<String> listed = columnList.isEmpty() ? Set.of() : Set.of(columnList.split(","));
        if (!listed.isEmpty()) {
            Set<String> needed = full ? model.columnsOf(table) : Set.copyOf(identity);
            if (!listed.containsAll(needed)) return "with a column list that leaves out part of its replica identity";
        }
        if (!full && !filter.isEmpty()) {
            Matcher words = WORD.matcher(filter);
            Set<String> columns = model.columnsOf(table);
            while (words.find()) {
                if (columns.contains(words.group()) && !identity.contains(words.group())) {
                    return "with a row filter on " + words.group() + ", which is not part of its replica identity";
                }
            }
        }
        return "";
    }

    private void replicaIdentity(Operation op) {
        String table = op.target();
        facts().replicaIdentity(table, new TableFacts.ReplicaIdentity(op.detail(),
                model.unique(op.arg(0)).map(SchemaModel.UniqueKey::columns).orElse(List.of())));
        if (facts().publishedForChanges(table) && facts().identityColumns(table).isEmpty()) {
            report(Rule.PUBLISHED_WITHOUT_IDENTITY, op, "sets REPLICA IDENTITY " + op.detail().toUpperCase(java.util.Locale.ROOT)
                    + " on " + table + ", which a publication publishes", table);
        }
    }

    /**
     * An identity added to an existing column: where the column was NOT NULL without a default the previous release's
     * INSERTs always name it, so ALWAYS refuses them and BY DEFAULT changes nothing; otherwise they may omit it and now
     * store a number where they stored NULL or the default. SET GENERATED ALWAYS on an existing BY DEFAULT identity is
     * left alone: code written against an identity omits the column, and whether it ever sends an explicit id is not
     * in the schema.
     */
    private void identityChange(Operation op) {
        if (!op.detail().startsWith("add ")) return;
        Optional<SchemaModel.Column> old = model.column(op.target(), op.column());
        boolean alwaysNamed = old.map(c -> c.notNull() && c.defaultExpression().isEmpty()).orElse(false);
        if (!alwaysNamed) report(Rule.SET_DEFAULT, op, op.qualifiedColumn());
        else if (op.detail().equals("add always")) report(Rule.IDENTITY_ALWAYS, op, op.qualifiedColumn());
    }

    /** DROP TRIGGER or DISABLE TRIGGER (name, ALL or USER): judged by what the removed trigger's function did. */
    private void removeTrigger(Operation op) {
        String table = op.target();
        String name = op.detail();
        List<Map.Entry<String, TableFacts.Trigger>> removed = new ArrayList<>();
        if (op.arg(0).equals("disables") && (name.equals("all") || name.equals("user"))) {
            for (TableFacts.Trigger t : facts().triggers(table)) removed.add(Map.entry(t.function(), t));
        } else {
            facts().trigger(table, name).ifPresent(t -> removed.add(Map.entry(name, t)));
        }
        for (var entry : removed) {
            String effect = triggerEffect(entry.getValue().function());
            if (!effect.isEmpty()) {
                report(Rule.TRIGGER_REMOVED, op, op.arg(0), name.equals("all") || name.equals("user") ? name.toUpperCase(java.util.Locale.ROOT) : name,
                        table, entry.getValue().function() + " " + effect);
                break;
            }
        }
        if (op.arg(0).equals("drops")) facts().dropTrigger(table, name);
    }

    /** What a trigger function does to the writes that fire it, or empty when it does nothing the writer could notice. */
    private String triggerEffect(String function) {
        Optional<String> body = model.function(function).map(f -> f.body().toLowerCase(java.util.Locale.ROOT));
        if (body.isEmpty()) return "is not known to the linter";
        if (CHANGES_ROW.matcher(body.get()).find()) return "changes or skips the row";
        if (REFUSES_ROW.matcher(body.get()).find()) return "refuses some rows";
        if (WRITES.matcher(body.get()).find()) return "writes other rows";
        return "";
    }

    private void addColumn(Operation op) {
        ColumnDefinition definition = op.definition();
        String table = op.target();
        String column = op.qualifiedColumn();
        model.define(table, definition);
        recordInlineConstraints(table, definition);
        if (definition.defaultExpression().isEmpty()) addedColumns.add(SchemaModel.bare(table) + "." + definition.name());
        newColumns.add(SchemaModel.bare(table) + "." + definition.name());
        if (definition.required()) report(Rule.ADD_REQUIRED_COLUMN, op, column);
        String rewriting = definition.rewritingDefault();
        if (rewriting.isEmpty()) {
            rewriting = definition.calledFunctions().stream().filter(f -> isVolatile(f, 0)).findFirst()
                    .map(f -> "the volatile default " + f + "()").orElse("");
        }
        if (!rewriting.isEmpty()) report(Rule.REWRITING_DEFAULT, op, column, rewriting);
        if (definition.inlineCheck()) report(Rule.CHECK_WITH_NEW_COLUMN, op, column);
        if (definition.inlineUnique()) report(Rule.CONSTRAINT_BUILDING_INDEX, op, "a UNIQUE or PRIMARY KEY constraint on new column " + column, table);
        boolean filled = !definition.defaultExpression().isEmpty() && !definition.defaultExpression().equals("null");
        if (!definition.references().isEmpty() && filled) {
            report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, op, "a FOREIGN KEY on new column " + column + " with a DEFAULT", table);
        }
    }

    /** UNIQUE, PRIMARY KEY, REFERENCES and CHECK declared with a column, named the way PostgreSQL names them. */
    private void recordInlineConstraints(String table, ColumnDefinition definition) {
        String prefix = SchemaModel.bare(table) + "_" + definition.name();
        if (definition.inlineUnique()) model.addUnique(prefix + "_key", new SchemaModel.UniqueKey(SchemaModel.bare(table),
                List.of(definition.name()), true, true));
        if (!definition.references().isEmpty()) model.addForeignKey(table, List.of(definition.name()), definition.references());
        if (definition.inlineCheck()) model.addCheck(table, new SchemaModel.Check(prefix + "_check", "", Set.of(definition.name()), true));
        if (definition.primaryKey()) facts().primaryKey(table, SchemaModel.bare(table) + "_pkey", List.of(definition.name()));
    }

    /**
     * A function is volatile if PostgreSQL says so: built-ins by their pg_proc entry, user functions by their declaration,
     * except a LANGUAGE sql function whose body is one SELECT of an expression: the planner inlines it, so the expression's
     * own volatility counts ("Inlining of SQL Functions").
     */
    private boolean isVolatile(String function, int depth) {
        if (Volatility.isVolatileBuiltin(function)) return true;
        Optional<SchemaModel.Function> declared = model.function(function);
        if (declared.isEmpty() || depth > 5) return false;
        SchemaModel.Function f = declared.get();
        String body = f.body().strip().toLowerCase(java.util.Locale.ROOT);
        boolean inlinable = f.language().equals("sql") && body.matches("(?s)select[^;]*;?") && !body.contains(" from ");
        if (!inlinable) return f.volatility() == 'v';
        Matcher calls = CALL.matcher(body.substring("select".length()));
        while (calls.find()) {
            if (isVolatile(calls.group(1), depth + 1)) return true;
        }
        return false;
    }

    private void typeChange(Operation op) {
        String table = op.target();
        String newType = op.detail();
        String written = op.detail();
        Optional<SchemaModel.Column> old = model.column(table, op.column());
        if (old.isEmpty() && rows.isPresent()) {
            // a column the migrations do not describe (a table made with LIKE, say): its type is the database's
            old = rows.get().columnType(table, op.column()).map(type -> new SchemaModel.Column(type, false, ""));
        }
        // a new collation needs no rewrite either, but every index on the column is rebuilt for it
        // the rendered type keeps no space after a parenthesis: varchar(40)collate"C"
        Matcher collation = COLLATE.matcher(newType);
        boolean recollated = collation.matches();
        String collate = recollated ? "collate " + collation.group(2) : "";
        if (recollated) newType = collation.group(1);
        boolean using = USING.matcher(newType).find();
        Optional<SchemaModel.Domain> domain = model.domain(newType);
        String base = domain.map(SchemaModel.Domain::base).orElse(normalType(newType));
        boolean plainCast = !using && !(recollated && model.indexed(table, op.column()));
        // a domain is stored as its base type, so a change between a domain and its base type is only a relabelling
        String oldBase = old.map(c -> model.domain(c.type()).map(SchemaModel.Domain::base).orElse(normalType(c.type()))).orElse("");
        boolean noRewrite = plainCast && old.isPresent() && (oldBase.equals(base) || SchemaModel.isBinaryCoercibleWidening(oldBase, base)
                || binaryCoercibleUnindexed(table, op.column(), oldBase, base));
        if (recollated && old.isPresent() && (oldBase.equals(base) || SchemaModel.isBinaryCoercibleWidening(oldBase, base))) {
            report(Rule.COLLATION_CHANGED, op, op.qualifiedColumn(), collate);
        }
        if (plainCast && utcSession && !noRewrite && zoneSwap(oldBase, base)) {
            report(Rule.TIME_ZONE_TYPE_CHANGE, op, op.qualifiedColumn(), written);
        } else if (!noRewrite) {
            // the type before, for the deploy context to ask the rows whether each fits the new one
            var judged = new Operation(op.kind(), table, op.column(), op.detail(), op.statement(),
                    List.of(old.map(SchemaModel.Column::type).orElse(""), !using && !recollated ? "plain" : ""),
                    op.definition());
            report(Rule.ALTER_COLUMN_TYPE, judged, op.qualifiedColumn(), written);
        } else {
            Set<String> rechecked = new LinkedHashSet<>();
            for (SchemaModel.Check check : model.checks(table)) {
                if (check.valid() && check.columns().contains(op.column())) rechecked.add("CHECK " + check.name());
            }
            if (domain.map(SchemaModel.Domain::constrained).orElse(false)) rechecked.add("the constraints of domain " + newType);
            if (!rechecked.isEmpty()) report(Rule.TYPE_CHANGE_RECHECKS, op, op.qualifiedColumn(), written, String.join(" and ", rechecked));
        }
        model.retype(table, op.column(), newType);
    }

    /**
     * A cast pg_cast marks binary coercible reuses every stored value, so the table is not rewritten; an index on the column
     * is still rebuilt when the new type's operator class differs (text to citext), so only an unindexed column is spared.
     */
    private boolean binaryCoercibleUnindexed(String table, String column, String oldBase, String base) {
        if (base.contains("(") || oldBase.isEmpty() || model.indexed(table, column) || rows.isEmpty()) return false;
        return !rows.get().indexed(table, column) && rows.get().binaryCoercible(oldBase, base);
    }

    /** timestamp to timestamptz or back (with or without the long spellings), the precision unchanged. */
    private static boolean zoneSwap(String oldType, String newType) {
        String from = zoneless(oldType);
        String to = zoneless(newType);
        return from != null && from.equals(to) && !oldType.replace(" ", "").equals(newType.replace(" ", ""))
                && withZone(oldType) != withZone(newType);
    }

    private static boolean withZone(String type) {
        String t = type.replace(" ", "");
        return t.startsWith("timestamptz") || t.endsWith("withtimezone");
    }

    /** "timestamp" plus the precision, for either timestamp type; null for any other type. */
    private static String zoneless(String type) {
        String t = type.replace(" ", "").replace("withouttimezone", "").replace("withtimezone", "");
        if (t.startsWith("timestamptz")) t = "timestamp" + t.substring("timestamptz".length());
        return t.matches("timestamp(\\(\\d+\\))?") ? t : null;
    }

    private static String normalType(String type) {
        return TYPE_ALIASES.getOrDefault(type, type);
    }

    /** SET NOT NULL skips its scan, and rejects nothing new, when the column is NOT NULL or a valid CHECK proves it. */
    private boolean provenNotNull(String table, String column) {
        if (model.column(table, column).map(SchemaModel.Column::notNull).orElse(false)) return true;
        if (model.checks(table).stream().anyMatch(c -> c.valid() && isNotNullTest(c.expression(), column))) return true;
        // a column the migrations do not describe: the database's catalog says what holds
        return model.column(table, column).isEmpty() && rows.map(r -> r.provenNotNull(table, column)).orElse(false);
    }

    private static boolean isNotNullTest(String expression, String column) {
        return expression.replaceAll("[\\s()\"]", "").equals(column + "isnotnull");
    }

    private void addCheck(Operation op) {
        String table = op.target();
        String name = op.column().isEmpty() ? SchemaModel.bare(table) + "_check" : op.column();
        boolean notValid = !op.arg(0).isEmpty();
        String expression = op.arg(1);
        Set<String> columns = new HashSet<>();
        Matcher words = WORD.matcher(expression);
        Set<String> tableColumns = model.columnsOf(table);
        while (words.find()) {
            // a table made with LIKE has columns the model does not list: then every word may be one
            if (tableColumns.isEmpty() || tableColumns.contains(words.group())) columns.add(words.group());
        }
        String what = "CHECK constraint" + (op.column().isEmpty() ? "" : " " + op.column());
        if (!notValid) {
            report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, op, what, table);
        } else if (!impliedCheck(table, expression) && !onlyNewColumns(table, columns)) {
            report(Rule.CONSTRAINT_ON_OLD_WRITES, op, what, table);
        }
        model.addCheck(table, new SchemaModel.Check(name, expression, columns, !notValid));
    }

    /**
     * A CHECK naming only columns this file added without a default cannot reject the previous release's writes: they
     * leave those columns NULL, and a CHECK whose expression is NULL passes.
     */
    private boolean onlyNewColumns(String table, Set<String> columns) {
        return !columns.isEmpty() && columns.stream().allMatch(c -> addedColumns.contains(SchemaModel.bare(table) + "." + c));
    }

    private boolean impliedCheck(String table, String expression) {
        String normal = expression.replaceAll("\\s", "");
        if (model.checks(table).stream().anyMatch(c -> c.valid() && c.expression().replaceAll("\\s", "").equals(normal))) return true;
        return model.columnsOf(table).stream().anyMatch(c -> isNotNullTest(expression, c)
                && model.column(table, c).map(SchemaModel.Column::notNull).orElse(false));
    }

    private void addForeignKey(Operation op) {
        String table = op.target();
        boolean notValid = !op.arg(0).isEmpty();
        String referenced = op.arg(1);
        List<String> columns = op.args().subList(Math.min(2, op.args().size()), op.args().size());
        String what = "FOREIGN KEY constraint" + (op.column().isEmpty() ? "" : " " + op.column());
        if (!notValid) {
            report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, op, what, table);
        } else if (!model.hadForeignKey(table, columns, referenced)) {
            report(Rule.CONSTRAINT_ON_OLD_WRITES, op, what, table);
        }
        model.addForeignKey(table, columns, referenced);
    }

    private void addUnique(Operation op) {
        String table = op.target();
        String kind = op.arg(0);
        String usingIndex = op.arg(1);
        List<String> columns = op.args().subList(Math.min(2, op.args().size()), op.args().size());
        String name = !op.column().isEmpty() ? op.column()
                : SchemaModel.bare(table) + (kind.equals("PRIMARY KEY") ? "_pkey" : "_" + String.join("_", columns) + "_key");
        if (usingIndex.isEmpty()) report(Rule.CONSTRAINT_BUILDING_INDEX, op, kind + " constraint" + (op.column().isEmpty() ? "" : " " + name), table);
        if (kind.equals("EXCLUDE")) return;
        // ON CONFLICT never takes a DEFERRABLE constraint as its arbiter
        boolean deferrable = op.statement().tokens().stream().anyMatch(t -> t.isWord("deferrable"))
                && !op.statement().text().toLowerCase(java.util.Locale.ROOT).matches("(?s).*not\\s+deferrable.*");
        Optional<SchemaModel.UniqueKey> index = model.unique(usingIndex);
        List<String> keyColumns = index.map(SchemaModel.UniqueKey::columns).orElse(columns);
        if (kind.equals("PRIMARY KEY")) {
            facts().primaryKey(table, name, keyColumns);
            // a primary key makes its columns NOT NULL: a nullable one is scanned under ACCESS EXCLUSIVE, as SET NOT NULL does
            for (String keyColumn : keyColumns) {
                if (model.column(table, keyColumn).isPresent() && !provenNotNull(table, keyColumn)) {
                    report(Rule.SET_NOT_NULL, op, SchemaModel.bare(table) + "." + keyColumn);
                }
                model.setNotNull(table, keyColumn, true);
            }
        }
        if (!usingIndex.isEmpty()) model.dropIndex(usingIndex);
        boolean plain = index.map(SchemaModel.UniqueKey::plain).orElse(usingIndex.isEmpty()) && !deferrable;
        model.addUnique(name, new SchemaModel.UniqueKey(index.map(SchemaModel.UniqueKey::table).orElse(SchemaModel.bare(table)),
                keyColumns, plain, true));
    }

    private void createIndex(Operation op) {
        String table = op.target();
        String name = op.detail();
        boolean unique = !op.arg(0).isEmpty();
        boolean plain = !op.arg(1).isEmpty();
        // CREATE INDEX ON ONLY a partitioned table builds nothing: the parent holds no rows, and the index stays invalid
        // until each partition's index (built CONCURRENTLY) is attached
        boolean buildsNothing = op.arg(2).equals("only") && model.partitionKey(table).isPresent();
        boolean concurrently = op.arg(2).equals("concurrently") || buildsNothing;
        if (!concurrently) {
            report(Rule.CREATE_INDEX_LOCKING, op, name.isEmpty() ? "" : name + " ", table);
            writeLocked.add(SchemaModel.bare(table));
        }
        if (name.isEmpty()) return;
        if (unique) {
            model.addUnique(name, new SchemaModel.UniqueKey(SchemaModel.bare(table), op.args().subList(3, op.args().size()), plain, false));
        } else {
            model.addIndex(name, new SchemaModel.UniqueKey(SchemaModel.bare(table), op.args().subList(3, op.args().size()), plain, false));
        }
        created.add(SchemaModel.bare(name));
    }

    /**
     * Dropping a unique index removes what ON CONFLICT infers its arbiter from; dropping any other index only costs
     * speed, under a brief lock without work per row. An index the schema does not know is judged by its lock alone.
     */
    private void dropIndex(Operation op) {
        String name = op.target();
        Optional<SchemaModel.UniqueKey> unique = model.unique(name);
        if (unique.isPresent()) {
            dropUnique(op, name, unique.get());
        } else if (!model.isKnownIndex(name) && op.detail().isEmpty()) {
            report(Rule.DROP_INDEX_LOCKING, op, name);
        }
        model.dropIndex(name);
    }

    private void dropUnique(Operation op, String name, SchemaModel.UniqueKey key) {
        if (key.plain() && model.hasOtherPlainUnique(name, key)) return;
        report(Rule.DROP_UNIQUE, op, name, key.table(), String.join(", ", key.columns()));
    }

    /** A new default changes what the previous release's INSERTs store, unless old and new are both computed per call. */
    private void setDefault(Operation op) {
        String oldDefault = model.column(op.target(), op.column()).map(SchemaModel.Column::defaultExpression).orElse("");
        boolean bothComputed = CALL.matcher(oldDefault).find() && CALL.matcher(op.detail()).find();
        if (!bothComputed) report(Rule.SET_DEFAULT, op, op.qualifiedColumn());
        model.setDefault(op.target(), op.column(), op.detail());
    }

    private void createView(Operation op) {
        String name = op.target();
        String body = op.arg(1);
        Optional<String> old = model.view(name);
        if (old.isPresent() && !sameOrAppended(old.get(), body)) report(Rule.REPLACE_VIEW, op, name);
        if (old.isEmpty()) created.add(SchemaModel.bare(name));
        model.defineView(name, body);
        Finding rename = op.arg(0).isEmpty() ? renamedTables.remove(SchemaModel.bare(name)) : null;
        // a simple view under the old name is automatically updatable: the previous release reads and writes through it
        if (rename != null) findings.remove(rename);
    }

    /** True if the new query is the old one, or the old one with columns appended to its select list. */
    private static boolean sameOrAppended(String oldBody, String newBody) {
        String oldText = oldBody.replaceAll("\\s+", " ").strip();
        String newText = newBody.replaceAll("\\s+", " ").strip();
        if (oldText.equals(newText)) return true;
        int oldFrom = oldText.indexOf(" from ");
        int newFrom = newText.indexOf(" from ");
        if (oldFrom < 0 || newFrom < 0 || !oldText.substring(oldFrom).equals(newText.substring(newFrom))) return false;
        return newText.substring(0, newFrom).startsWith(oldText.substring(0, oldFrom) + ",");
    }

    /**
     * A function is its name and argument types: CREATE FUNCTION with other argument types adds an overload beside the old
     * one, which the previous release's calls keep reaching when their arguments match it exactly (the preferred candidate
     * in "Function Type Resolution"); only the same argument types replace a body.
     */
    private void createFunction(Operation op) {
        String name = op.target();
        String arguments = op.arg(4);
        Optional<SchemaModel.Function> old = model.function(name);
        var function = new SchemaModel.Function(op.arg(0), op.arg(1).charAt(0), op.arg(2), op.arg(3));
        boolean overload = old.isPresent() && !model.hasSignature(name, arguments);
        if (old.isPresent() && !overload && !sameBody(old.get(), function)) report(Rule.REPLACE_FUNCTION, op, name);
        if (overload) {
            model.signatures(name).stream().filter(existing -> takesTheSameArguments(arguments, existing)).findFirst()
                    .ifPresent(existing -> report(Rule.OVERLOAD_AMBIGUOUS, op, name, plain(arguments), name, plain(existing)));
        }
        if (old.isEmpty()) created.add(SchemaModel.bare(name));
        model.addSignature(name, arguments);
        if (!overload) model.defineFunction(name, function);
    }

    /**
     * True if a function with argument types {@code added} (a trailing "=" marks one with a default) takes a call with
     * exactly the {@code existing} function's argument types: its first arguments are those types and every further one
     * has a default.
     */
    private static boolean takesTheSameArguments(String added, String existing) {
        List<String> adding = added.isEmpty() ? List.of() : List.of(added.split(","));
        List<String> old = existing.isEmpty() ? List.of() : List.of(plain(existing).split(","));
        if (adding.size() <= old.size()) return false;
        for (int i = 0; i < adding.size(); i++) {
            String type = adding.get(i).replace("=", "");
            if (i < old.size() ? !type.equals(old.get(i)) : !adding.get(i).endsWith("=")) return false;
        }
        return true;
    }

    private static String plain(String argumentTypes) {
        return argumentTypes.replace("=", "");
    }

    /** Bodies equal but for spacing and a final cast to the declared result type, which PostgreSQL applies anyway. */
    private static boolean sameBody(SchemaModel.Function old, SchemaModel.Function replacement) {
        return normalBody(old).equals(normalBody(replacement));
    }

    private static String normalBody(SchemaModel.Function function) {
        String body = function.body().replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        if (body.endsWith(";")) body = body.substring(0, body.length() - 1);
        String cast = "::" + function.returns().replaceAll("\\s+", "");
        return body.endsWith(cast) ? body.substring(0, body.length() - cast.length()) : body;
    }

    private void trigger(Operation op) {
        boolean beforeRow = op.arg(0).equals("before") && !op.arg(1).isEmpty();
        if (!op.arg(2).isEmpty()) facts().defineTrigger(op.arg(2), new TableFacts.Trigger(op.target(), op.detail()));
        // an INSTEAD OF trigger on a view does the write in place of PostgreSQL: the previous release's writes through an
        // automatically updatable view now do whatever its function does
        if (op.arg(0).equals("instead")) report(Rule.ROW_TRIGGER_CHANGES_WRITES, op, op.target(), op.detail());
        else judgeTrigger(op, op.detail(), beforeRow);
    }

    private void judgeTrigger(Operation op, String function, boolean beforeRow) {
        Optional<String> body = model.function(function).map(f -> f.body().toLowerCase(java.util.Locale.ROOT));
        boolean refuses = body.map(b -> REFUSES_ROW.matcher(b).find()).orElse(false);
        boolean changes = beforeRow && body.map(b -> CHANGES_ROW.matcher(b).find()).orElse(true);
        if (refuses || changes) report(Rule.ROW_TRIGGER_CHANGES_WRITES, op, op.target(), function);
    }

    /**
     * An UPDATE or DELETE with a WHERE clause, judged by the rows it matches in the database: from --small-table-rows on,
     * they stay locked against the previous release's writes until the commit. Without the database the rows a WHERE
     * matches are unknown; an UPDATE that sets only columns this file adds is a backfill nobody else writes.
     */
    private void dataChange(Operation op) {
        String table = op.target();
        List<String> set = op.args().subList(Math.min(4, op.args().size()), op.args().size());
        boolean onlyNewColumns = !set.isEmpty() && set.stream().allMatch(c -> newColumns.contains(SchemaModel.bare(table) + "." + c));
        if (rows.isEmpty() || smallTableRows <= 0 || onlyNewColumns || created.contains(SchemaModel.bare(table))) return;
        java.util.OptionalLong matched = rows.get().countUpTo(table, op.arg(0), op.arg(1), op.arg(2), smallTableRows);
        if (matched.isEmpty() || matched.getAsLong() < smallTableRows) return;
        report(Rule.DATA_CHANGE, op, op.detail(), "at least " + smallTableRows + " rows", table);
    }

    /** ATTACH PARTITION scans the partition unless a valid CHECK on the partition key proves its bound. */
    private void attachPartition(Operation op) {
        String parent = op.target();
        String child = op.detail();
        if (model.hasDefaultPartition(parent)) {
            report(Rule.PARTITION_SCAN, op, "attaches partition " + child + " to " + parent + " beside its DEFAULT partition", "the DEFAULT partition");
        }
        if (created.contains(SchemaModel.bare(child))) return;
        // whether the table brings rows into the parent's queries only its rows can tell
        if (rows.isPresent() && rows.get().hasRows(child).found().orElse(false)) report(Rule.ROWS_JOIN_PARENT, op, child, parent, parent);
        Optional<String> key = model.partitionKey(parent);
        boolean proven = key.isPresent() && model.checks(child).stream().anyMatch(c -> c.valid() && c.columns().contains(key.get()));
        if (!proven) report(Rule.PARTITION_SCAN, op, "attaches partition " + child + " to " + parent + " without a CHECK proving its bound", child);
    }

    private Optional<Finding> report(Rule rule, Operation op, Object... arguments) {
        if (created.contains(SchemaModel.bare(op.target()))) return Optional.empty();
        Finding finding = Finding.of(rule, file, op.statement(), rule.sentence(arguments));
        findings.add(finding);
        operations.put(finding, op);
        return Optional.of(finding);
    }
}
