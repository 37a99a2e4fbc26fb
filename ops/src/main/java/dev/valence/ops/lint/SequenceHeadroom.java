package dev.valence.ops.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether an ALTER SEQUENCE (or an identity's RESTART / SET options) leaves the previous release's inserts their numbers,
 * read from the database: a RESTART is harmless when the next number lies above every value stored in the columns the
 * sequence feeds; a lower MAXVALUE, a narrower AS type or CYCLE is harmless while at least as many numbers remain below
 * the limit as the sequence has handed out so far (it took all its life to use those), and at least a million. A
 * negative INCREMENT, or a
 * sequence no column draws from (code stores its numbers where the database cannot tell), is never settled.
 */
final class SequenceHeadroom {
    /** However young the sequence, fewer numbers than this left below a limit is a limit in reach. */
    static final long LEAST_HEADROOM = 1_000_000;

    private SequenceHeadroom() {}

    /** Why the change leaves every insert a fresh number, or empty. */
    static Optional<String> settle(LiveRows rows, Operation op) {
        Optional<LiveRows.SequenceState> found = rows.sequence(op.target(), op.column());
        if (found.isEmpty()) return Optional.empty();
        LiveRows.SequenceState sequence = found.get();
        if (sequence.increment() <= 0) return Optional.empty();
        List<String> reasons = new ArrayList<>();
        for (String risk : op.detail().split(", ")) {
            Optional<String> reason = settleOne(rows, op, sequence, risk);
            if (reason.isEmpty()) return Optional.empty();
            reasons.add(reason.get());
        }
        return Optional.of(String.join(", and ", reasons));
    }

    private static Optional<String> settleOne(LiveRows rows, Operation op, LiveRows.SequenceState sequence, String risk) {
        long last = sequence.lastValue().orElse(sequence.startValue() - sequence.increment());
        if (risk.startsWith("RESTART")) {
            long next = risk.startsWith("RESTART WITH ") ? Long.parseLong(risk.substring("RESTART WITH ".length())) : sequence.startValue();
            List<String> columns = op.column().isEmpty() ? rows.sequenceColumns(sequence.name())
                    : List.of(SchemaModel.bare(op.target()) + "." + op.column());
            if (columns.isEmpty()) return Optional.empty();
            for (String column : columns) {
                int dot = column.lastIndexOf('.');
                OptionalLong max = rows.max(column.substring(0, dot), column.substring(dot + 1));
                if (max.isPresent() && max.getAsLong() >= next) return Optional.empty();
            }
            return Optional.of("the database's largest " + String.join(", ", columns) + " is below " + next
                    + ", so the numbers from the restart are new");
        }
        OptionalLong limit = newLimit(risk, sequence);
        if (limit.isEmpty()) return Optional.empty();
        long remaining = limit.getAsLong() - last;
        long used = sequence.used();
        if (remaining < Math.max(used, LEAST_HEADROOM)) return Optional.empty();
        return Optional.of(sequence.name() + " has handed out " + used + " numbers in the database and " + remaining
                + " remain below " + limit.getAsLong() + " (" + risk + ")");
    }

    /** The largest number the sequence will give after {@code risk}: a MAXVALUE, a type's maximum, or (CYCLE) its own. */
    private static OptionalLong newLimit(String risk, LiveRows.SequenceState sequence) {
        if (risk.startsWith("MAXVALUE ")) return OptionalLong.of(Long.parseLong(risk.substring("MAXVALUE ".length())));
        if (risk.equals("CYCLE")) return OptionalLong.of(sequence.maxValue());
        if (risk.startsWith("AS ")) {
            long typeMax = risk.endsWith("smallint") || risk.endsWith("int2") ? Short.MAX_VALUE : Integer.MAX_VALUE;
            return OptionalLong.of(Math.min(typeMax, sequence.maxValue()));
        }
        return OptionalLong.empty();
    }
}
