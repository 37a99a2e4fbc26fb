package dev.valence.runtime.triggers;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a cron val runs, in UTC. Two forms are accepted:
 * <ul>
 *   <li>a 5-field cron expression, {@code minute hour day-of-month month day-of-week}, with lists,
 *       ranges, steps and names ({@code *&#47;5 * * * *}, {@code 0 9 * * MON-FRI}), or a macro
 *       ({@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly});</li>
 *   <li>an interval: a number and a unit {@code s}, {@code m}, {@code h} or {@code d}, optionally after
 *       "every" ({@code every 5m}, {@code 15m}, {@code every 2 h}), at least the configured minimum.</li>
 * </ul>
 * Cron expressions are evaluated by db-scheduler's cron implementation (the expression with a
 * leading seconds field of 0).
 */
public sealed interface Schedule {
    Pattern INTERVAL = Pattern.compile("^(?:every\\s+)?(\\d{1,9})\\s*(s|m|h|d)$");

    /** The first run strictly after {@code after}. */
    Instant next(Instant after);

    /** A cron expression in UTC. */
    record Cron(String expression, CronSchedule cron) implements Schedule {
        @Override
        public Instant next(Instant after) {
            return cron.getNextExecutionTime(ExecutionComplete.simulatedSuccess(after));
        }
    }

    /** A fixed interval, counted from the previous tick. */
    record Interval(Duration every) implements Schedule {
        @Override
        public Instant next(Instant after) {
            return after.plus(every);
        }

        /** The next tick of a series that was due at {@code due}: the first one after {@code now}. */
        public Instant nextAfter(Instant due, Instant now) {
            if (!due.isBefore(now)) return due.plus(every);
            long behind = Duration.between(due, now).toMillis() / every.toMillis() + 1;
            return due.plus(every.multipliedBy(behind));
        }
    }

    /**
     * The longest a schedule that fires at all may wait for its next run: February 29 can be eight years
     * away (2096 to 2104); db-scheduler answers a far-future date for an expression no date matches.
     */
    Duration LONGEST_WAIT = Duration.ofDays(366 * 8 + 2);

    /**
     * Reads a schedule about to be saved: {@link #parse}, and a cron expression no date matches (such
     * as {@code 0 0 31 2 *}) is refused rather than saved to never run.
     */
    static Schedule parseForSave(String text, Duration minimumInterval, Instant now) {
        Schedule schedule = parse(text, minimumInterval);
        if (schedule instanceof Cron cron && cron.next(now).isAfter(now.plus(LONGEST_WAIT))) {
            throw new IllegalArgumentException("The cron expression '" + cron.expression() + "' never fires: no date matches its day of"
                    + " the month and month (such as February 31). Choose a day every chosen month has (1 to 28 fits all).");
        }
        return schedule;
    }

    /**
     * Reads a schedule.
     *
     * @param minimumInterval the shortest interval accepted (CRON_MIN_INTERVAL_SECONDS); cron
     *                        expressions run at most once a minute anyway
     * @throws IllegalArgumentException with a sentence that names the problem and the accepted forms
     */
    static Schedule parse(String text, Duration minimumInterval) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("The schedule is empty; use a cron expression such as '*/5 * * * *' or an interval such as 'every 5m'.");
        }
        String trimmed = text.trim();
        if (trimmed.length() > 200) throw new IllegalArgumentException("The schedule is longer than 200 characters.");
        Matcher interval = INTERVAL.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (interval.matches()) {
            long amount = Long.parseLong(interval.group(1));
            if (amount == 0) throw new IllegalArgumentException("The interval '" + trimmed + "' is zero; it must be at least 1.");
            Duration every = switch (interval.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            if (every.compareTo(minimumInterval) < 0) {
                throw new IllegalArgumentException("The interval '" + trimmed + "' is shorter than the minimum of "
                        + minimumInterval.toSeconds() + " seconds.");
            }
            if (every.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("The interval '" + trimmed + "' is longer than a year.");
            }
            return new Interval(every);
        }
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("every") || trimmed.matches("^\\d+\\s*[a-zA-Z]+$")) {
            throw new IllegalArgumentException("The interval '" + trimmed + "' is not understood; write a number and one of"
                    + " the units s, m, h, d, such as 'every 5m' or '15m'.");
        }
        String expression = switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "@hourly" -> "0 * * * *";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@weekly" -> "0 0 * * 0";
            case "@monthly" -> "0 0 1 * *";
            case "@yearly", "@annually" -> "0 0 1 1 *";
            default -> trimmed;
        };
        String[] fields = expression.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("The cron expression '" + trimmed + "' has " + fields.length
                    + " fields; it needs 5 (minute hour day-of-month month day-of-week, in UTC), such as '*/5 * * * *'.");
        }
        try {
            var cron = new CronSchedule("0 " + String.join(" ", fields), ZoneOffset.UTC);
            if (cron.isDisabled()) throw new IllegalArgumentException("disabled");
            return new Cron(trimmed, cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The cron expression '" + trimmed + "' is not valid: " + e.getMessage()
                    + ". Write 5 fields (minute hour day-of-month month day-of-week, in UTC), such as '0 9 * * MON-FRI'.");
        }
    }
}
