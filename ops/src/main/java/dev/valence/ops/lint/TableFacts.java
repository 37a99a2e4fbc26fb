package dev.valence.ops.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the earlier migrations said about tables beyond their columns and constraints, where it decides whether the
 * previous release's reads and writes still work: primary keys and replica identities (which logical replication
 * needs to publish UPDATE and DELETE), publications, row-level security and its policies, triggers and rewrite rules.
 * Names are kept without their schema, as {@link SchemaModel} does.
 */
final class TableFacts {
    /** A replica identity: {@code default} (the primary key), {@code full}, {@code nothing}, or {@code index} with its columns. */
    record ReplicaIdentity(String kind, List<String> columns) {}

    /** A publication; {@code tables} empty and {@code allTables} false means it publishes schemas or nothing yet. */
    record Publication(boolean updatesAndDeletes, boolean allTables, Set<String> tables) {}

    /** A trigger: its table and the function it calls. */
    record Trigger(String table, String function) {}

    private final Map<String, List<String>> primaryKeys = new HashMap<>();
    private final Map<String, String> primaryKeyNames = new HashMap<>();
    private final Map<String, ReplicaIdentity> identities = new HashMap<>();
    private final Map<String, Publication> publications = new HashMap<>();
    private final Set<String> rowSecurity = new HashSet<>();
    private final Set<String> forcedRowSecurity = new HashSet<>();
    private final Map<String, Integer> openPolicies = new HashMap<>();
    private final Map<String, Trigger> triggers = new HashMap<>();
    /** Rules that do INSTEAD, {@code table.rule}. */
    private final Set<String> insteadRules = new HashSet<>();

    /** Privileges granted, {@code object|role}: a bare object name, {@code schema:s}, {@code role:r} or {@code default:}. */
    private final Set<String> grants = new HashSet<>();

    void grant(String object, String role) {
        grants.add(grantKey(object) + "|" + role);
    }

    /** True if the role was granted anything on the object, on every object of a schema, or by default privileges. */
    boolean granted(String object, String role) {
        if (grants.contains(grantKey(object) + "|" + role) || grants.contains("default:|" + role)) return true;
        return grants.stream().anyMatch(g -> g.startsWith("schema:") && g.endsWith("|" + role)
                && (object.startsWith("schema:") || !object.contains(".") || object.startsWith(g.substring(7, g.indexOf('|')) + ".")));
    }

    /** True if a role besides the owner may use the table: a grant on it, on every table of a schema, or by default. */
    boolean grantedToAnyRole(String table) {
        String key = bare(table) + "|";
        return grants.stream().anyMatch(g -> g.startsWith(key) || g.startsWith("schema:") || g.startsWith("default:"));
    }

    private static String grantKey(String object) {
        return object.contains(":") ? object : bare(object);
    }

    private static String bare(String name) {
        return SchemaModel.bare(name);
    }

    void primaryKey(String table, String name, List<String> columns) {
        primaryKeys.put(bare(table), List.copyOf(columns));
        primaryKeyNames.put(bare(table), bare(name));
    }

    /** Forgets the table's primary key if the constraint is it; true if it was. */
    boolean dropPrimaryKey(String table, String name) {
        if (!bare(name).equals(primaryKeyNames.get(bare(table)))) return false;
        primaryKeys.remove(bare(table));
        primaryKeyNames.remove(bare(table));
        return true;
    }

    /**
     * The columns that identify a row to a subscriber, empty when none does: REPLICA IDENTITY DEFAULT uses the primary
     * key, FULL the whole row (every column, {@code *}), USING INDEX that index's columns, NOTHING none.
     */
    List<String> identityColumns(String table) {
        ReplicaIdentity identity = identities.getOrDefault(bare(table), new ReplicaIdentity("default", List.of()));
        return switch (identity.kind()) {
            case "full" -> List.of("*");
            case "nothing" -> List.of();
            case "index" -> identity.columns();
            default -> primaryKeys.getOrDefault(bare(table), List.of());
        };
    }

    void replicaIdentity(String table, ReplicaIdentity identity) {
        identities.put(bare(table), identity);
    }

    void publish(String name, Publication publication) {
        publications.put(bare(name), publication);
    }

    Optional<Publication> publication(String name) {
        return Optional.ofNullable(publications.get(bare(name)));
    }

    void dropPublication(String name) {
        publications.remove(bare(name));
    }

    /** True if a publication that publishes UPDATE or DELETE includes the table. */
    boolean publishedForChanges(String table) {
        return publications.values().stream().anyMatch(p -> p.updatesAndDeletes() && (p.allTables() || p.tables().contains(bare(table))));
    }

    void rowSecurity(String table, boolean enabled) {
        if (enabled) rowSecurity.add(bare(table));
        else rowSecurity.remove(bare(table));
    }

    void forceRowSecurity(String table, boolean forced) {
        if (forced) forcedRowSecurity.add(bare(table));
        else forcedRowSecurity.remove(bare(table));
    }

    boolean rowSecurity(String table) {
        return rowSecurity.contains(bare(table));
    }

    boolean forcedRowSecurity(String table) {
        return forcedRowSecurity.contains(bare(table));
    }

    /** Records a permissive policy that admits every row for every command (USING (true), or WITH CHECK (true) alone). */
    void addOpenPolicy(String table) {
        openPolicies.merge(bare(table), 1, Integer::sum);
    }

    /** True if a permissive policy admits every row to every command: row security then hides and refuses nothing. */
    boolean hasOpenPolicy(String table) {
        return openPolicies.getOrDefault(bare(table), 0) > 0;
    }

    void defineTrigger(String name, Trigger trigger) {
        triggers.put(bare(trigger.table()) + "." + bare(name), new Trigger(bare(trigger.table()), trigger.function()));
    }

    Optional<Trigger> trigger(String table, String name) {
        return Optional.ofNullable(triggers.get(bare(table) + "." + bare(name)));
    }

    List<Trigger> triggers(String table) {
        return triggers.values().stream().filter(t -> t.table().equals(bare(table))).toList();
    }

    void dropTrigger(String table, String name) {
        triggers.remove(bare(table) + "." + bare(name));
    }

    void defineRule(String table, String name, boolean instead) {
        if (instead) insteadRules.add(bare(table) + "." + bare(name));
        else insteadRules.remove(bare(table) + "." + bare(name));
    }

    boolean insteadRule(String table, String name) {
        return insteadRules.contains(bare(table) + "." + bare(name));
    }

    /** The rules of a table doing INSTEAD, by name. */
    List<String> insteadRules(String table) {
        String prefix = bare(table) + ".";
        return insteadRules.stream().filter(r -> r.startsWith(prefix)).map(r -> r.substring(prefix.length())).toList();
    }
}
