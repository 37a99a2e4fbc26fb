package dev.valence.runtime.engine;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The file system of a spare context: it denies all I/O exactly like {@code IOAccess.NONE} until the
 * context's first (and only) owner binds its val's module file system. Binding happens once, before
 * any guest code of that val runs; a spare is never handed to a second val.
 */
final class LateFileSystem implements FileSystem {
    private static final FileSystem DENIED = FileSystem.newDenyIOFileSystem();
    private volatile FileSystem target = DENIED;
    private volatile boolean bound;

    /** Serves {@code modules} from now on (null: stays denied). Only the first call counts. */
    synchronized void bind(FileSystem modules) {
        if (bound) throw new IllegalStateException("This context's file system is bound already.");
        bound = true;
        if (modules != null) target = modules;
    }

    @Override
    public Path parsePath(URI uri) {
        return target.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return target.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        target.checkAccess(path, modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        target.createDirectory(dir, attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        target.delete(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return target.newByteChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        return target.newDirectoryStream(dir, filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return target.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return target.toRealPath(path, linkOptions);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return target.readAttributes(path, attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        target.setAttribute(path, attribute, value, options);
    }

    @Override
    public void copy(Path source, Path destination, CopyOption... options) throws IOException {
        target.copy(source, destination, options);
    }

    @Override
    public void move(Path source, Path destination, CopyOption... options) throws IOException {
        target.move(source, destination, options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        target.createLink(link, existing);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        this.target.createSymbolicLink(link, target, attrs);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return target.readSymbolicLink(link);
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        target.setCurrentWorkingDirectory(currentWorkingDirectory);
    }

    @Override
    public String getSeparator() {
        return target.getSeparator();
    }

    @Override
    public String getPathSeparator() {
        return target.getPathSeparator();
    }

    @Override
    public String getMimeType(Path path) {
        return target.getMimeType(path);
    }

    @Override
    public Charset getEncoding(Path path) {
        return target.getEncoding(path);
    }

    @Override
    public Path getTempDirectory() {
        return target.getTempDirectory();
    }

    @Override
    public boolean isSameFile(Path path1, Path path2, LinkOption... options) throws IOException {
        return target.isSameFile(path1, path2, options);
    }
}
