package dev.valence.ops;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as operators type them: {@code 500ms}, {@code 5s}, {@code 2m} (or ISO-8601, {@code PT5S}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m)");

    @Override
    public Duration convert(String value) {
        var m = SHORT.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
        try {
            return Duration.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("a duration like 500ms, 5s or 2m, got '" + value + "'");
        }
    }

    /** "5 s" or "200 ms", for messages. */
    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
