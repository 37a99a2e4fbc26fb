package dev.valence.runtime.engine;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import dev.valence.runtime.engine.modules.ReadOnlyChannel;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The file system of a val's context: the val's own module at {@code /owner/name@version.mjs}, and
 * everything else from its imports' file system (or nothing). The runner loads the val's module with
 * {@code import()} under the specifier {@link #specifier()} (which also names it in stack traces), so
 * module evaluation, top-level await included, settles like any promise the event loop drives.
 */
final class ValFileSystem implements FileSystem {
    private final String specifier;
    private final Path path;
    private final byte[] code;
    private final FileSystem imports;

    /**
     * @param name the module's name without extension, {@code owner/name@version}
     * @param imports the val's resolved imports (null: it imports nothing)
     */
    ValFileSystem(String name, String code, FileSystem imports) {
        this.specifier = name + ".mjs";
        this.path = Path.of("/" + specifier);
        this.code = code.getBytes(StandardCharsets.UTF_8);
        this.imports = imports == null ? FileSystem.newDenyIOFileSystem() : imports;
    }

    /** What {@code import()} loads the val's module by; also the module's name in stack traces. */
    String specifier() {
        return specifier;
    }

    private boolean isModule(Path candidate) {
        return path.equals(candidate);
    }

    @Override
    public Path parsePath(URI uri) {
        return imports.parsePath(uri);
    }

    @Override
    public Path parsePath(String name) {
        return specifier.equals(name) || path.toString().equals(name) ? path : imports.parsePath(name);
    }

    @Override
    public void checkAccess(Path candidate, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (!isModule(candidate)) {
            imports.checkAccess(candidate, modes, linkOptions);
        } else if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new AccessDeniedException(candidate.toString());
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path candidate, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        if (!isModule(candidate)) return imports.newByteChannel(candidate, options, attrs);
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ) throw new AccessDeniedException(candidate.toString(), null, "modules are read-only");
        }
        return new ReadOnlyChannel(code);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules are read-only");
    }

    @Override
    public void delete(Path candidate) throws IOException {
        throw new AccessDeniedException(candidate.toString(), null, "modules are read-only");
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules cannot be listed");
    }

    @Override
    public Path toAbsolutePath(Path candidate) {
        return isModule(candidate) ? candidate : imports.toAbsolutePath(candidate);
    }

    @Override
    public Path toRealPath(Path candidate, LinkOption... linkOptions) throws IOException {
        return isModule(candidate) ? candidate : imports.toRealPath(candidate, linkOptions);
    }

    @Override
    public Map<String, Object> readAttributes(Path candidate, String attributes, LinkOption... options) throws IOException {
        if (isModule(candidate)) throw new AccessDeniedException(candidate.toString(), null, "modules have no attributes");
        return imports.readAttributes(candidate, attributes, options);
    }
}
