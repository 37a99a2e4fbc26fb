package dev.valence.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A folder of vals: each val's code in {@code NAME.ts} (or {@code .tsx}) and what the folder knows of it
 * in {@code .valence/NAME.json}: owner, name, type (and a cron val's schedule), the version last pulled or
 * pushed, and the hash of the code as it was then, which tells an edit from an untouched file.
 */
final class Workspace {
    static final String META_DIR = ".valence";

    private final Path dir;

    Workspace(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * What the folder knows of one val. {@code type} and {@code schedule} (a cron val's) may be edited in the file;
     * {@code syncedType} and {@code syncedSchedule} are what they were at the last pull or push, which tells an
     * edit apart (a file written before they were kept has neither, and counts as unedited).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Meta(String owner, String name, String type, String schedule, int version, String file, String sha256,
                String syncedType, String syncedSchedule) {
        /** The val as the server answered it ({@code version}, {@code type}, {@code schedule}), with this code. */
        static Meta synced(String owner, String name, String file, JsonNode val, String code) {
            String type = val.path("type").asText();
            String schedule = val.hasNonNull("schedule") ? val.path("schedule").asText() : null;
            return new Meta(owner, name, type, schedule, val.path("version").asInt(), file, Workspace.sha256(code), type, schedule);
        }

        /** This val after a save the server answered with {@code saved}. */
        Meta syncedWith(JsonNode saved, String code) {
            return synced(owner, name, file, saved, code);
        }

        /** Whether the type or the schedule was edited in the file since the last pull or push. */
        boolean settingsEdited() {
            return syncedType != null && (!syncedType.equals(type) || !Objects.equals(syncedSchedule, schedule));
        }
    }

    /** Every val the folder holds, by name. */
    List<Meta> all() {
        Path metaDir = dir.resolve(META_DIR);
        var metas = new ArrayList<Meta>();
        if (!Files.isDirectory(metaDir)) return metas;
        try (var files = Files.list(metaDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                metas.add(readMeta(file));
            }
        } catch (IOException e) {
            throw unreadable(metaDir, e);
        }
        return metas;
    }

    Optional<Meta> find(String name) {
        Path file = metaFile(name);
        return Files.isRegularFile(file) ? Optional.of(readMeta(file)) : Optional.empty();
    }

    /** The val whose code is in this file, if the folder tracks it. */
    Optional<Meta> byFile(String fileName) {
        return all().stream().filter(m -> m.file().equals(fileName)).findFirst();
    }

    Path codeFile(Meta meta) {
        return dir.resolve(meta.file());
    }

    /** The file's code, or empty when it was deleted. */
    Optional<String> read(Meta meta) {
        Path file = codeFile(meta);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** True when the file differs from the code last pulled or pushed, or the metadata's type or schedule was edited. */
    boolean edited(Meta meta) {
        return read(meta).map(code -> !sha256(code).equals(meta.sha256()) || meta.settingsEdited()).orElse(false);
    }

    /** Writes the code and then the metadata, each through a temporary file, so an editor or watcher never sees half a file. */
    void write(Meta meta, String code) {
        writeAtomically(codeFile(meta), code);
        saveMeta(meta);
    }

    void saveMeta(Meta meta) {
        try {
            Files.createDirectories(dir.resolve(META_DIR));
            writeAtomically(metaFile(meta.name()), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta) + "\n");
        } catch (IOException e) {
            throw unwritable(dir.resolve(META_DIR), e);
        }
    }

    static String sha256(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** JSX needs the .tsx extension in editors; a val that names a JSX import source is given one. */
    static String fileName(String name, String code) {
        boolean jsx = code.contains("@jsxImportSource") || code.contains("@jsx ");
        return name + (jsx ? ".tsx" : ".ts");
    }

    private Path metaFile(String name) {
        return dir.resolve(META_DIR).resolve(name + ".json");
    }

    private Meta readMeta(Path file) {
        try {
            return Api.JSON.readValue(file.toFile(), Meta.class);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ENVIRONMENT, file + " is not a val's metadata this command line wrote (" + e.getMessage()
                    + "); delete it and pull that val again.", e);
        }
    }

    private void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    private static CliException unreadable(Path path, IOException e) {
        return new CliException(ExitCodes.ENVIRONMENT, "Could not read " + path + " (" + e.getMessage() + "); check its permissions.", e);
    }

    private static CliException unwritable(Path path, IOException e) {
        return new CliException(ExitCodes.ENVIRONMENT, "Could not write " + path + " (" + e.getMessage() + "); check that the folder is writable.", e);
    }
}
