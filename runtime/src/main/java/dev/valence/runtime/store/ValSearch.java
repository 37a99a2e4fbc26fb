package dev.valence.runtime.store;

import java.util.List;
import javax.sql.DataSource;

/**
 * Finds an owner's vals by name and by the code of their latest version. A query matches a val when
 * its name or code contains the query (case-insensitive, so {@code fetchJson} and {@code "use strict"}
 * are found as typed: identifiers and punctuation are what people search code for), or when the code
 * holds every word of it (PostgreSQL full-text search, {@code simple} configuration: no stemming of
 * identifiers). Only the owner's own vals are read, through the {@code (owner_id, name)} index, so a
 * search costs a scan of one author's latest versions, never of everyone's.
 */
public final class ValSearch {
    private final Jdbc jdbc;

    public ValSearch(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** A val that matched, with the code of its latest version (to show where). */
    public record Hit(long valId, String name, boolean inName, boolean inCode, String code) {}

    /** Vals whose name matches first, then by name; at most {@code limit}. */
    public List<Hit> search(long ownerId, String query, int limit) {
        return jdbc.list("""
                WITH q AS (SELECT lower(?) AS needle, websearch_to_tsquery('simple', ?) AS words)
                SELECT v.id, v.name, vv.code,
                       strpos(lower(v.name), q.needle) > 0 AS in_name,
                       (strpos(lower(vv.code), q.needle) > 0
                        OR (numnode(q.words) > 0 AND to_tsvector('simple', vv.code) @@ q.words)) AS in_code
                FROM q, app.vals v
                JOIN app.val_versions vv ON vv.val_id = v.id AND vv.version = v.latest_version
                WHERE v.owner_id = ?
                  AND (strpos(lower(v.name), q.needle) > 0 OR strpos(lower(vv.code), q.needle) > 0
                       OR (numnode(q.words) > 0 AND to_tsvector('simple', vv.code) @@ q.words))
                ORDER BY in_name DESC, v.name
                LIMIT ?""", s -> {
            s.setString(1, query);
            s.setString(2, query);
            s.setLong(3, ownerId);
            s.setInt(4, limit);
        }, r -> new Hit(r.getLong("id"), r.getString("name"), r.getBoolean("in_name"), r.getBoolean("in_code"), r.getString("code")));
    }
}
