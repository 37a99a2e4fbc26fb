package dev.valence.runtime.store;

import java.util.Optional;
import javax.sql.DataSource;

/**
 * The ledger of non-HTTP runs by idempotency key ({@code control.trigger_results}) and the lookups
 * of held items the API answers with. Both tables live in {@code control}, so they can be written and
 * read whatever state {@code app} is in.
 */
public final class TriggerResultStore {
    private final Jdbc jdbc;

    public TriggerResultStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Claims the key for a run about to start.
     *
     * @return empty when this caller claimed it (and should run); else the run id the key already belongs to
     */
    public Optional<Long> claim(String idempotencyKey, long valId, long runId) {
        int inserted = jdbc.update("""
                INSERT INTO control.trigger_results (idempotency_key, val_id, run_id) VALUES (?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING""", s -> {
            s.setString(1, idempotencyKey);
            s.setLong(2, valId);
            s.setLong(3, runId);
        });
        if (inserted == 1) return Optional.empty();
        return runFor(idempotencyKey).map(Result::runId).or(() -> Optional.of(0L));
    }

    /** Gives a key back (the run was refused before it started), so a retry with the same key can run. */
    public void release(String idempotencyKey, long runId) {
        jdbc.update("DELETE FROM control.trigger_results WHERE idempotency_key = ? AND run_id = ?", s -> {
            s.setString(1, idempotencyKey);
            s.setLong(2, runId);
        });
    }

    /** Which run a key became. */
    public record Result(long valId, long runId) {}

    public Optional<Result> runFor(String idempotencyKey) {
        return jdbc.one("SELECT val_id, run_id FROM control.trigger_results WHERE idempotency_key = ?",
                s -> s.setString(1, idempotencyKey), r -> new Result(r.getLong(1), r.getLong(2)));
    }

    /** A held item as the API shows it. */
    public record Held(long id, String kind, String idempotencyKey, String payloadJson, boolean done, String outcome) {}

    public Optional<Held> heldByKey(String idempotencyKey) {
        return jdbc.one("SELECT id, kind, idempotency_key, payload::text, done_at IS NOT NULL, outcome FROM control.held_work WHERE idempotency_key = ?",
                s -> s.setString(1, idempotencyKey), TriggerResultStore::held);
    }

    public Optional<Held> heldById(long id) {
        return jdbc.one("SELECT id, kind, idempotency_key, payload::text, done_at IS NOT NULL, outcome FROM control.held_work WHERE id = ?",
                s -> s.setLong(1, id), TriggerResultStore::held);
    }

    private static Held held(java.sql.ResultSet r) throws java.sql.SQLException {
        return new Held(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getBoolean(5), r.getString(6));
    }
}
