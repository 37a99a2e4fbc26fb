package dev.valence.cli;

/** How reading commands print: lines for people, or JSON for scripts. */
enum Format {
    TEXT, JSON;

    /** The option every listing and reading command takes. */
    static final class Option {
        @picocli.CommandLine.Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
                converter = Converter.class, description = "text (for people, the default) or json (for scripts)")
        Format format = TEXT;
    }

    static final class Converter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: use text or json");
            };
        }
    }
}
