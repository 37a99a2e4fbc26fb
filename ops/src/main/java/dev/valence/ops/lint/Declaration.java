package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app migration's declaration of itself, and rule VL001: the same checks as migrations/build-info.sh
 * (name, exactly one declaration, its layout, version, kind and minimum), plus that it comes last.
 */
record Declaration(int version, String kind, int minCodeLevel) {
    static final String FIRST_LINE = "INSERT INTO control.schema_contract (version, kind, min_code_level, description)";
    private static final Pattern NAME = Pattern.compile("^V([0-9]+)__[A-Za-z0-9_]+\\.sql$");
    private static final Pattern VALUES_LINE = Pattern.compile("^VALUES \\(([0-9]+), '(expand|contract)', ([0-9]+),.*");

    /** The declaration if it is correct; otherwise empty, with the problems added to {@code findings}. */
    static Optional<Declaration> check(MigrationFile file, List<SqlStatement> statements, List<Finding> findings) {
        int before = findings.size();
        Optional<Declaration> declaration = read(file, statements, findings);
        return findings.size() == before ? declaration : Optional.empty();
    }

    private static Optional<Declaration> read(MigrationFile file, List<SqlStatement> statements, List<Finding> out) {
        if (!NAME.matcher(file.name()).matches() || file.version() < 1) {
            out.add(problem(file, file.name() + ": app migrations are named V<whole number>__<words>.sql",
                    "rename it, for example V7__add_vals_description.sql"));
            return Optional.empty();
        }
        int version = file.version();
        String template = "end it with exactly one " + FIRST_LINE + " VALUES (" + version + ", 'expand', 0, '...'); or VALUES ("
                + version + ", 'contract', " + version + ", '...');";
        List<SqlStatement> declarations = new ArrayList<>();
        for (SqlStatement statement : statements) {
            if (new TokenCursor(statement.tokens()).accept("insert", "into", "control") && isContractTable(statement)) declarations.add(statement);
        }
        if (declarations.size() != 1) {
            out.add(problem(file, "app v" + version + " declares itself " + declarations.size() + " times", template));
            return Optional.empty();
        }
        SqlStatement statement = declarations.getFirst();
        if (statement != statements.getLast()) {
            out.add(problem(file, "app v" + version + "'s declaration is not its last statement",
                    "move the INSERT INTO control.schema_contract to the end of the file"));
        }
        String[] lines = statement.text().split("\n", 3);
        Matcher values = VALUES_LINE.matcher(lines.length >= 2 ? lines[1] : "");
        if (!lines[0].stripTrailing().equals(FIRST_LINE) || !values.matches()) {
            out.add(problem(file, "app v" + version + "'s declaration is not laid out as migrations/build-info.sh reads it",
                    "write the line " + FIRST_LINE + " and start the next line with VALUES (" + version + ", 'expand', 0, '...');"));
            return Optional.empty();
        }
        var declaration = new Declaration(Integer.parseInt(values.group(1)), values.group(2), Integer.parseInt(values.group(3)));
        if (declaration.version != version) {
            out.add(problem(file, file.name() + " declares version " + declaration.version + " but the file is version " + version,
                    "declare VALUES (" + version + ", ...)"));
        }
        if (declaration.kind.equals("expand") && declaration.minCodeLevel != 0) {
            out.add(problem(file, "app v" + version + " is an expand migration, which keeps old code working, but its min_code_level is "
                    + declaration.minCodeLevel, "declare min_code_level 0, or declare contract"));
        }
        if (declaration.kind.equals("contract") && (declaration.minCodeLevel < 1 || declaration.minCodeLevel > version)) {
            out.add(problem(file, "app v" + version + " is a contract migration whose min_code_level " + declaration.minCodeLevel
                    + " is outside 1.." + version, "name the lowest code level that survives it, from 1 to " + version));
        }
        return Optional.of(declaration);
    }

    private static boolean isContractTable(SqlStatement statement) {
        var cursor = new TokenCursor(statement.tokens());
        cursor.accept("insert", "into");
        return cursor.qualifiedName().equals("control.schema_contract");
    }

    private static Finding problem(MigrationFile file, String message, String fix) {
        return Finding.ofFile(Rule.UNDECLARED_APP_MIGRATION, file.display(), message, fix);
    }
}
