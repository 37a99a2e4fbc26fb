package dev.valence.runtime.packages;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.semver4j.RangesListFactory;

/**
 * Parses the imports that name packages: {@code npm:name@range/subpath} (names scoped or not),
 * {@code https://esm.sh/name@range/subpath} with {@code ?deps=} pins, and {@code node:} built-ins.
 * Both npm forms are resolved against the same npm registry; esm.sh is never contacted, so its
 * build options (target, bundle, ...) have no meaning here and are refused rather than ignored.
 */
public final class Specifiers {
    static final String ESM_SH = "https://esm.sh/";
    /** npm's own rule for new package names: lower case, URL-safe, at most 214 characters. */
    private static final Pattern NAME = Pattern.compile("(@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*");
    private static final int NAME_MAX_CHARS = 214;
    /** What a dist-tag looks like ({@code latest}, {@code next}, {@code beta}); whether it exists is the registry's to say. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    /** esm.sh's version prefixes ({@code /v135/}, {@code /stable/}) pick esm.sh builds, which do not apply here. */
    private static final Pattern ESM_BUILD_PREFIX = Pattern.compile("v[0-9]+|stable");

    private Specifiers() {}

    /** The package or built-in an import names, or empty when it names neither (a relative path, a val, std/...). */
    public static Optional<Specifier> parse(String source) {
        if (source.startsWith("npm:")) {
            return Optional.of(npm(source, source.substring("npm:".length()), new TreeMap<>()));
        }
        if (source.startsWith(ESM_SH)) {
            return Optional.of(esmSh(source));
        }
        if (source.startsWith("node:")) {
            return Optional.of(NodeBuiltins.parse(source));
        }
        return Optional.empty();
    }

    private static Specifier.Npm esmSh(String source) {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw new PackageException(source + " is not a valid URL (" + e.getReason() + ").");
        }
        String path = uri.getPath().substring(1);
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (ESM_BUILD_PREFIX.matcher(first).matches()) {
            throw new PackageException(source + ": esm.sh build prefixes such as /" + first + "/ do not apply, because packages are"
                    + " resolved from the npm registry itself; import " + ESM_SH + path.substring(first.length() + 1) + " instead.");
        }
        var pins = new TreeMap<String, String>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String parameter : uri.getRawQuery().split("&")) {
                int equals = parameter.indexOf('=');
                String key = equals < 0 ? parameter : parameter.substring(0, equals);
                String value = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
                if (!key.equals("deps")) {
                    throw new PackageException(source + ": esm.sh's ?" + key + " parameter is not supported, because packages are resolved"
                            + " from the npm registry itself and only ?deps= (pinning dependencies) applies; remove ?" + key + ".");
                }
                pins(source, value, pins);
            }
        }
        return npm(source, path, pins);
    }

    /** {@code ?deps=preact@10.24.3,ms@2}: each a package name and the range every use of it must take. */
    private static void pins(String source, String value, SortedMap<String, String> pins) {
        for (String pin : value.split(",")) {
            int at = pin.indexOf('@', 1);
            String name = at < 0 ? pin : pin.substring(0, at);
            if (at < 0 || at == pin.length() - 1) {
                throw new PackageException(source + ": the ?deps= pin \"" + pin + "\" names no version; write it as name@version, for example "
                        + (name.isEmpty() ? "preact" : name) + "@1.2.3.");
            }
            checkName(source, name);
            String range = pin.substring(at + 1);
            checkRange(source, name, range);
            pins.put(name, range);
        }
    }

    /** {@code name}, {@code name@range}, {@code name/sub}, {@code name@range/sub}, each optionally scoped. */
    private static Specifier.Npm npm(String source, String rest, SortedMap<String, String> pins) {
        if (rest.startsWith("@") && !rest.contains("/")) {
            throw new PackageException(source + ": " + rest + " is a scope without a package name; write @scope/name.");
        }
        int at = rest.indexOf('@', rest.startsWith("@") ? rest.indexOf('/') : 0);
        int slash = rest.indexOf('/', rest.startsWith("@") ? rest.indexOf('/') + 1 : 0);
        String name;
        String range;
        String subpath;
        if (at >= 0 && (slash < 0 || at < slash)) {
            name = rest.substring(0, at);
            int rangeEnd = rest.indexOf('/', at);
            range = rest.substring(at + 1, rangeEnd < 0 ? rest.length() : rangeEnd);
            subpath = rangeEnd < 0 ? "" : rest.substring(rangeEnd + 1);
        } else {
            name = slash < 0 ? rest : rest.substring(0, slash);
            range = "latest";
            subpath = slash < 0 ? "" : rest.substring(slash + 1);
        }
        checkName(source, name);
        if (range.isEmpty()) {
            throw new PackageException(source + ": the version after \"" + name + "@\" is empty; write a range such as " + name
                    + "@^1.2.0, or leave out the @ for the latest version.");
        }
        checkRange(source, name, range);
        if (subpath.endsWith("/") || subpath.contains("//") || subpath.contains("..")) {
            throw new PackageException(source + ": \"/" + subpath + "\" is not a file path inside the package; name a subpath such as "
                    + name + "/jsx.");
        }
        return new Specifier.Npm(source, name, range, subpath.isEmpty() ? "." : "./" + subpath, pins);
    }

    private static void checkName(String source, String name) {
        if (name.length() > NAME_MAX_CHARS || !NAME.matcher(name).matches()) {
            throw new PackageException(source + ": \"" + name + "\" is not an npm package name (lower-case letters, digits and - . _ ~,"
                    + " at most " + NAME_MAX_CHARS + " characters, optionally after @scope/); check its spelling on the registry.");
        }
    }

    static void checkRange(String source, String name, String range) {
        if (TAG.matcher(range).matches()) {
            return;
        }
        if (!validRange(range)) {
            throw new PackageException(source + ": \"" + range + "\" is neither a version range nor a dist-tag for " + name
                    + "; write a range such as " + name + "@^1.2.0 or a tag such as " + name + "@latest.");
        }
    }

    private static boolean validRange(String range) {
        try {
            return !RangesListFactory.create(range).get().isEmpty();
        } catch (RuntimeException e) {
            return false; // semver4j throws on some malformed ranges and returns an empty list on others
        }
    }
}
