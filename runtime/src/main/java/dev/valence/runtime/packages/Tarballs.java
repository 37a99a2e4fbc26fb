package dev.valence.runtime.packages;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacks an npm tarball (gzipped tar, every path under one top folder, usually {@code package/}) into memory. */
final class Tarballs {
    /**
     * @param maxFiles         more files than this is refused: the largest packages vals import hold a few thousand
     *                         (lodash-es about 650, date-fns about 6 000 with its locales), 20 000 leaves room
     * @param maxUnpackedBytes more bytes than this is refused: 128 MB holds typescript (about 23 MB unpacked) several times
     */
    record Limits(int maxFiles, long maxUnpackedBytes) {
        static Limits defaults() {
            return new Limits(20_000, 128L * 1024 * 1024);
        }
    }

    private Tarballs() {}

    /** The package's regular files by path inside the package (its top folder removed); links and folders are skipped. */
    static SortedMap<String, byte[]> extract(String packageKey, byte[] tarball, Limits limits) {
        var files = new TreeMap<String, byte[]>();
        long unpacked = 0;
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarball)))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isFile()) {
                    continue;
                }
                String name = entry.getName();
                int slash = name.indexOf('/');
                String path = slash < 0 ? name : name.substring(slash + 1);
                if (path.isEmpty() || path.startsWith("/") || path.contains("../") || path.equals("..")) {
                    throw new PackageException("The tarball of " + packageKey + " holds the path " + name
                            + ", which leaves the package; it was not used.");
                }
                if (files.size() >= limits.maxFiles()) {
                    throw new PackageException(packageKey + " holds more than " + limits.maxFiles() + " files, over the limit; import a smaller package.");
                }
                unpacked += entry.getSize();
                if (unpacked > limits.maxUnpackedBytes()) {
                    throw new PackageException(packageKey + " unpacks to more than " + limits.maxUnpackedBytes()
                            + " bytes, over the limit; import a smaller package.");
                }
                files.put(path, tar.readAllBytes());
            }
        } catch (IOException e) {
            throw new PackageException("The tarball of " + packageKey + " could not be unpacked (" + e.getMessage() + "); it was not used.", e);
        }
        if (!files.containsKey("package.json")) {
            throw new PackageException("The tarball of " + packageKey + " holds no package.json; it was not used.");
        }
        return files;
    }
}
