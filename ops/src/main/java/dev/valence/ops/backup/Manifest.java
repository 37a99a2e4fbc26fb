package dev.valence.ops.backup;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The first entry of a backup: what it holds (schema versions, tables with their columns and row
 * counts, sequence values), so a restore can check everything before it writes a row.
 */
public record Manifest(int formatVersion, Instant takenAt, Map<String, String> schemaVersions, List<Table> tables, List<Sequence> sequences) {
    static final String FORMAT = "valence-backup";
    /** Raised when a restore of an older format could no longer read a newer file. */
    static final int FORMAT_VERSION = 1;
    static final String ENTRY = "manifest.json";

    /** One table: its columns in the order the data entry has them, and how many rows the snapshot held. */
    public record Table(String schema, String name, List<String> columns, long rows) {
        public String qualified() {
            return schema + "." + name;
        }

        String quoted() {
            return Catalog.quoted(schema, name);
        }

        String columnList() {
            return String.join(", ", columns.stream().map(Catalog::identifier).toList());
        }

        String entry() {
            return "data/" + qualified() + ".copy";
        }

        Table withRows(long counted) {
            return new Table(schema, name, columns, counted);
        }
    }

    public record Sequence(String schema, String name, long lastValue, boolean isCalled) {}

    public long totalRows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }

    String toJson() {
        var tablesJson = new JsonArray();
        for (Table t : tables) {
            tablesJson.add(new JsonObject().put("schema", t.schema()).put("name", t.name()).put("columns", new JsonArray(t.columns()))
                    .put("rows", t.rows()));
        }
        var sequencesJson = new JsonArray();
        for (Sequence s : sequences) {
            sequencesJson.add(new JsonObject().put("schema", s.schema()).put("name", s.name()).put("lastValue", s.lastValue())
                    .put("isCalled", s.isCalled()));
        }
        return new JsonObject().put("format", FORMAT).put("formatVersion", formatVersion).put("takenAt", takenAt.toString())
                .put("schemaVersions", new JsonObject(Map.copyOf(schemaVersions))).put("tables", tablesJson).put("sequences", sequencesJson)
                .encodePrettily();
    }

    static Manifest parse(String json, String file) {
        try {
            var o = new JsonObject(json);
            if (!FORMAT.equals(o.getString("format"))) {
                throw new BackupException(true, file + " is not a Valence backup (its manifest names format '" + o.getString("format") + "')");
            }
            int version = o.getInteger("formatVersion");
            if (version > FORMAT_VERSION) {
                throw new BackupException(true, file + " is a backup of format " + version + "; this build reads format " + FORMAT_VERSION
                        + " and older: restore it with the build that made it or a newer one");
            }
            var tables = o.getJsonArray("tables").stream().map(JsonObject.class::cast)
                    .map(t -> new Table(t.getString("schema"), t.getString("name"),
                            t.getJsonArray("columns").stream().map(String.class::cast).toList(), t.getLong("rows"))).toList();
            var sequences = o.getJsonArray("sequences").stream().map(JsonObject.class::cast)
                    .map(s -> new Sequence(s.getString("schema"), s.getString("name"), s.getLong("lastValue"), s.getBoolean("isCalled"))).toList();
            var versions = new java.util.LinkedHashMap<String, String>();
            o.getJsonObject("schemaVersions").forEach(e -> versions.put(e.getKey(), (String) e.getValue()));
            return new Manifest(version, Instant.parse(o.getString("takenAt")), versions, tables, sequences);
        } catch (DecodeException | ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw new BackupException(true, file + " has a damaged manifest (" + e.getMessage() + "); it is not a backup this build can read", e);
        }
    }
}
