package dev.valence.ops.lint;

/** How much a finding matters: errors refuse the migration, warnings refuse it only with {@code --strict}. */
enum Severity {
    ERROR("error"), WARNING("warning"), INFO("info");

    private final String displayName;

    Severity(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }
}
