package dev.valence.runtime.engine.modules;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only "files" a val's context can read: the modules of its resolved {@link ModuleGraph}, served
 * from memory under virtual paths such as {@code /alice/lib@3.mjs}. GraalJS asks it to turn each
 * import specifier into a path and then reads that path; specifiers the graph does not know become
 * paths that do not exist. Nothing is read from or written to the real disk.
 */
final class VirtualFileSystem implements FileSystem {
    private static final Path NOWHERE = Path.of("/.unresolved");

    private final ModuleGraph graph;

    VirtualFileSystem(ModuleGraph graph) {
        this.graph = graph;
    }

    @Override
    public Path parsePath(URI uri) {
        return known(uri.toString());
    }

    @Override
    public Path parsePath(String path) {
        return known(path);
    }

    private Path known(String specifier) {
        Path path = graph.path(specifier);
        if (path != null) return path;
        try {
            Path asPath = Path.of(specifier);
            return graph.source(asPath) != null ? asPath : NOWHERE.resolve(asPath.getFileName() == null ? Path.of("x") : asPath.getFileName());
        } catch (InvalidPathException e) {
            return NOWHERE;
        }
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) throw new AccessDeniedException(path.toString());
        if (graph.source(path) == null) throw new NoSuchFileException(path.toString());
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ) throw new AccessDeniedException(path.toString(), null, "modules are read-only");
        }
        String source = graph.source(path);
        if (source == null) throw new NoSuchFileException(path.toString());
        return new ReadOnlyChannel(source.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules are read-only");
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new AccessDeniedException(path.toString(), null, "modules are read-only");
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "modules cannot be listed");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : Path.of("/").resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) {
        return toAbsolutePath(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        throw new AccessDeniedException(path.toString(), null, "modules have no attributes");
    }
}
