package dev.valence.runtime.guard;

/**
 * The schema as the database records it.
 *
 * @param schemaVersion S: the highest successfully applied {@code app} migration (0 when none)
 * @param floor the highest minimum code level any applied migration recorded (0 when none)
 * @param floorVersion the migration that recorded {@code floor} (0 when none)
 * @param failedVersion the first failed {@code app} migration, or null
 * @param failedDescription its description, or null
 */
public record SchemaState(int schemaVersion, int floor, int floorVersion, String failedVersion, String failedDescription) {
    public boolean hasFailedMigration() {
        return failedVersion != null;
    }
}
