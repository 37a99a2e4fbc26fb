package dev.valence.runtime.packages;

import dev.valence.foundation.outbound.AllowList;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resolution and storage against a real registry server (TestRegistry, serving real published
 * packuments and tarballs) and a real PostgreSQL, each test on a database of its own.
 */
@Timeout(60)
class PackageResolutionTest {
    private TestRegistry registryServer;
    private DataSource dataSource;
    private PackageStore store;
    private final AtomicLong clockNanos = new AtomicLong(1_000_000_000L);

    /** Fetches the tarballs before the first test's time limit starts (a clean build runs npm pack here, once). */
    @BeforeAll
    static void fetchTarballs() {
        TestTarballs.bytes("ms-2.1.3.tgz");
    }

    @BeforeEach
    void start() {
        registryServer = new TestRegistry();
        dataSource = TestDatabase.dataSource(TestDatabase.newDatabase("packages"));
        Migrations.migrate(dataSource);
        store = new PackageStore(dataSource);
    }

    @AfterEach
    void stop() {
        registryServer.close();
    }

    private Registry registry(String url) {
        return new Registry(Registry.Settings.defaults(URI.create(url), Duration.ofSeconds(300), AllowList.parse("127.0.0.1")), clockNanos::get);
    }

    private Resolver resolver(Registry registry) {
        return new Resolver(registry, store, Resolver.Limits.defaults());
    }

    private Lock resolve(String... imports) {
        return resolver(registry(registryServer.url())).resolve(specifiers(imports));
    }

    private static List<Specifier> specifiers(String... imports) {
        return java.util.Arrays.stream(imports).map(s -> Specifiers.parse(s).orElseThrow()).toList();
    }

    /** sha512 of the tarball as fetched, computed here rather than read from the packument. */
    private static String integrityOf(String tarball) throws Exception {
        return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(TestTarballs.bytes(tarball)));
    }

    private static Map<String, byte[]> unpack(String tarball) throws Exception {
        var files = new TreeMap<String, byte[]>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(TestTarballs.bytes(tarball))))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) files.put(entry.getName().substring(entry.getName().indexOf('/') + 1), tar.readAllBytes());
            }
        }
        return files;
    }

    private static Lock.Package locked(String name, String version, String tarball, Map<String, String> dependencies) throws Exception {
        return new Lock.Package(name, version, integrityOf(tarball), new TreeMap<>(dependencies));
    }

    private static Lock lock(Map<String, Lock.Entry> imports, Lock.Package... packages) {
        var byKey = new TreeMap<String, Lock.Package>();
        for (var p : packages) byKey.put(p.key(), p);
        return new Lock(new TreeMap<>(imports), byKey);
    }

    private String refusal(String... imports) {
        return assertThrows(PackageException.class, () -> resolve(imports)).getMessage();
    }

    private long count(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long valWithVersions(int versions) throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO app.users (name) VALUES ('ada')");
            statement.execute("INSERT INTO app.vals (owner_id, name, type) SELECT id, 'render', 'http' FROM app.users");
            statement.execute("INSERT INTO app.val_versions (val_id, version, code) SELECT v.id, n, 'export default () => {}'"
                    + " FROM app.vals v, generate_series(1, " + versions + ") n");
            var rows = statement.executeQuery("SELECT id FROM app.vals");
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void preact_render_to_string_uses_the_vals_own_preact_at_exact_versions_and_files() throws Exception {
        Lock lock = resolve("npm:preact@^10", "npm:preact-render-to-string@6.5.13", "npm:preact-render-to-string@6.5.13/jsx", "node:buffer");

        var preact = locked("preact", "10.29.6", "preact-10.29.6.tgz", Map.of());
        var render = locked("preact-render-to-string", "6.5.13", "preact-render-to-string-6.5.13.tgz", Map.of("preact", "preact@10.29.6"));
        assertEquals(lock(Map.of(
                "npm:preact@^10", Lock.Entry.file("preact@10.29.6", "dist/preact.module.js"),
                "npm:preact-render-to-string@6.5.13", Lock.Entry.file("preact-render-to-string@6.5.13", "dist/index.module.js"),
                "npm:preact-render-to-string@6.5.13/jsx", Lock.Entry.file("preact-render-to-string@6.5.13", "dist/jsx/index.module.js"),
                "node:buffer", Lock.Entry.builtin("node:buffer")), preact, render), lock);
        assertEquals("{\"format\":1,\"imports\":{\"node:buffer\":{\"builtin\":\"node:buffer\"},"
                + "\"npm:preact-render-to-string@6.5.13\":{\"file\":\"dist/index.module.js\",\"package\":\"preact-render-to-string@6.5.13\"},"
                + "\"npm:preact-render-to-string@6.5.13/jsx\":{\"file\":\"dist/jsx/index.module.js\",\"package\":\"preact-render-to-string@6.5.13\"},"
                + "\"npm:preact@^10\":{\"file\":\"dist/preact.module.js\",\"package\":\"preact@10.29.6\"}},"
                + "\"packages\":{\"preact-render-to-string@6.5.13\":{\"dependencies\":{\"preact\":\"preact@10.29.6\"},\"integrity\":\""
                + render.integrity() + "\",\"name\":\"preact-render-to-string\",\"version\":\"6.5.13\"},"
                + "\"preact@10.29.6\":{\"dependencies\":{},\"integrity\":\"" + preact.integrity() + "\",\"name\":\"preact\",\"version\":\"10.29.6\"}}}",
                lock.toJson());
        assertEquals(lock, Lock.fromJson(lock.toJson()));
    }

    @Test
    void a_commonjs_package_resolves_through_main_and_gets_a_second_instance_only_where_a_range_excludes_the_first() throws Exception {
        Lock lock = resolve("npm:debug@^4", "npm:ms@2.1.2");

        assertEquals(lock(Map.of(
                        "npm:debug@^4", Lock.Entry.file("debug@4.4.3", "src/index.js"),
                        "npm:ms@2.1.2", Lock.Entry.file("ms@2.1.2", "index.js")),
                locked("debug", "4.4.3", "debug-4.4.3.tgz", Map.of("ms", "ms@2.1.3")),
                locked("ms", "2.1.2", "ms-2.1.2.tgz", Map.of()),
                locked("ms", "2.1.3", "ms-2.1.3.tgz", Map.of())), lock);
    }

    @Test
    void esm_sh_deps_pins_decide_the_dependency_version() throws Exception {
        Lock lock = resolve("https://esm.sh/debug@4.4.3?deps=ms@2.1.2");

        assertEquals(lock(Map.of("https://esm.sh/debug@4.4.3?deps=ms@2.1.2", Lock.Entry.file("debug@4.4.3", "src/index.js")),
                locked("debug", "4.4.3", "debug-4.4.3.tgz", Map.of("ms", "ms@2.1.2")),
                locked("ms", "2.1.2", "ms-2.1.2.tgz", Map.of())), lock);
    }

    @Test
    void exports_conditions_pick_the_browser_build_and_subpaths_and_refuse_what_is_not_exported() throws Exception {
        Lock lock = resolve("npm:nanoid@5", "npm:nanoid@^5.1/non-secure");

        assertEquals(lock(Map.of(
                        "npm:nanoid@5", Lock.Entry.file("nanoid@5.1.12", "index.browser.js"),
                        "npm:nanoid@^5.1/non-secure", Lock.Entry.file("nanoid@5.1.12", "non-secure/index.js")),
                locked("nanoid", "5.1.12", "nanoid-5.1.12.tgz", Map.of())), lock);
        assertEquals("npm:nanoid@5/url-alphabet: nanoid@5.1.12 offers nothing at \"./url-alphabet\" (its package.json exports ., ./non-secure,"
                + " ./package.json); import one of the subpaths it offers.", refusal("npm:nanoid@5/url-alphabet"));
    }

    @Test
    void unknown_packages_and_unmatched_ranges_are_refused_with_a_sentence() {
        assertEquals("npm:left-padd@1: the package left-padd does not exist on the npm registry at " + registryServer.url()
                + "; check the name in the import.", refusal("npm:left-padd@1"));
        assertEquals("npm:preact@^12: no version of preact matches ^12, which the import asks for (the newest is 11.2.0, tagged latest"
                + " 11.2.0); change the range.", refusal("npm:preact@^12"));
    }

    @Test
    void a_tarball_that_does_not_match_its_integrity_is_refused_and_nothing_is_stored() throws Exception {
        registryServer.tamper("ms-2.1.3.tgz");
        byte[] tampered = TestTarballs.bytes("ms-2.1.3.tgz");
        tampered[tampered.length / 2] ^= 1;
        String got = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(tampered));

        assertEquals("npm:ms@2.1.3: the tarball of ms@2.1.3 from " + registryServer.url() + "/ms/-/ms-2.1.3.tgz does not match its published"
                + " integrity (expected " + integrityOf("ms-2.1.3.tgz") + ", got sha512-" + got + "), so it was not used; the registry or a"
                + " proxy altered it.", refusal("npm:ms@2.1.3"));
        assertEquals(Optional.empty(), store.find("ms", "2.1.3"));
        assertEquals(0, count("SELECT count(*) FROM app.package_files"));
    }

    @Test
    void a_registry_on_a_loopback_address_is_refused_by_the_outbound_guard_unless_npm_registry_allow_opens_it() {
        var closed = new Registry(Registry.Settings.defaults(URI.create(registryServer.url()), Duration.ofSeconds(300), AllowList.NONE),
                clockNanos::get);

        assertEquals("npm:ms@2.1.3: the npm registry at " + registryServer.url() + " was not asked for the metadata of ms, because the"
                + " outbound guard refused: 127.0.0.1 is a loopback address; allow it with NPM_REGISTRY_ALLOW (a registry on the internal"
                + " network must be opened on purpose).",
                assertThrows(PackageException.class, () -> resolver(closed).resolve(specifiers("npm:ms@2.1.3"))).getMessage());
        assertEquals(List.of(), registryServer.requests());
    }

    @Test
    void an_unreachable_registry_is_named_with_what_to_do() {
        var resolver = resolver(registry("http://127.0.0.1:1"));
        String message = assertThrows(PackageException.class, () -> resolver.resolve(specifiers("npm:ms@2.1.3"))).getMessage();

        assertTrue(message.startsWith("npm:ms@2.1.3: the npm registry at http://127.0.0.1:1 could not be reached for the metadata of ms"
                + " (java.net.ConnectException"), message);
        assertTrue(message.endsWith("); check NPM_REGISTRY_URL and that this host can reach it, then save again."), message);
    }

    @Test
    void a_registry_that_stalls_mid_answer_is_cut_off_at_the_request_timeout() {
        registryServer.stall("/ms");
        var settings = new Registry.Settings(URI.create(registryServer.url()), Duration.ofSeconds(300), 1 << 20, 1 << 20, Duration.ofSeconds(1),
                AllowList.parse("127.0.0.1"));
        var resolver = resolver(new Registry(settings, clockNanos::get));
        long start = System.nanoTime();

        assertEquals("npm:ms@2.1.3: the npm registry at " + registryServer.url() + " did not answer the metadata of ms within 1 s;"
                + " try the save again later, or check NPM_REGISTRY_URL.",
                assertThrows(PackageException.class, () -> resolver.resolve(specifiers("npm:ms@2.1.3"))).getMessage());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 1_000 && tookMs < 5_000, tookMs + " ms");
    }

    @Test
    void a_tarball_over_the_size_limit_is_refused_and_nothing_is_stored() throws Exception {
        var settings = new Registry.Settings(URI.create(registryServer.url()), Duration.ofSeconds(300), 1 << 20, 1_000, Duration.ofSeconds(30),
                AllowList.parse("127.0.0.1"));
        var resolver = resolver(new Registry(settings, clockNanos::get));

        assertEquals("npm:ms@2.1.3: the tarball of ms@2.1.3 is larger than the limit of 1000 bytes ("
                + TestTarballs.bytes("ms-2.1.3.tgz").length + " bytes or more); import a smaller package.",
                assertThrows(PackageException.class, () -> resolver.resolve(specifiers("npm:ms@2.1.3"))).getMessage());
        assertEquals(0, count("SELECT count(*) FROM app.package_versions"));
    }

    @Test
    void metadata_younger_than_the_ttl_is_reused_and_stored_packages_are_never_fetched_again() {
        var resolver = resolver(registry(registryServer.url()));
        Lock first = resolver.resolve(specifiers("npm:debug@^4"));
        assertEquals(List.of("/debug", "/ms", "/debug/-/debug-4.4.3.tgz", "/ms/-/ms-2.1.3.tgz"), registryServer.requests());

        registryServer.clearRequests();
        clockNanos.addAndGet(Duration.ofSeconds(299).toNanos());
        assertEquals(first, resolver.resolve(specifiers("npm:debug@^4")));
        assertEquals(List.of(), registryServer.requests());

        clockNanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(first, resolver.resolve(specifiers("npm:debug@^4")));
        assertEquals(List.of("/debug", "/ms"), registryServer.requests());
    }

    @Test
    void a_save_whose_imports_did_not_change_reuses_the_previous_lock_without_a_registry_request() throws Exception {
        long valId = valWithVersions(4);
        var imports = List.of("npm:preact@^10", "./helpers.ts", "npm:preact-render-to-string@6.5.13");
        Lock first = new PackageLocks(store, resolver(registry(registryServer.url()))).lockFor(valId, 1, imports).orElseThrow();
        assertEquals(List.of("/preact", "/preact-render-to-string", "/preact-render-to-string/-/preact-render-to-string-6.5.13.tgz",
                "/preact/-/preact-10.29.6.tgz"), registryServer.requests());

        // another instance, its metadata cache cold: the same imports in another order make no request
        registryServer.clearRequests();
        var other = new PackageLocks(store, resolver(registry(registryServer.url())));
        assertEquals(Optional.of(first), other.lockFor(valId, 2, List.of("npm:preact-render-to-string@6.5.13", "npm:preact@^10")));
        assertEquals(List.of(), registryServer.requests());
        assertEquals(Optional.empty(), other.lockFor(valId, 3, List.of("./helpers.ts")));
        assertEquals(Optional.empty(), other.lockOf(valId, 3));

        // changed imports resolve again; stored preact is not fetched again
        Lock changed = other.lockFor(valId, 4, List.of("npm:preact@^10", "npm:debug@^4")).orElseThrow();
        assertEquals(List.of("/debug", "/preact", "/ms", "/debug/-/debug-4.4.3.tgz", "/ms/-/ms-2.1.3.tgz"), registryServer.requests());
        assertEquals(List.of("debug@4.4.3", "ms@2.1.3", "preact@10.29.6"), List.copyOf(changed.packages().keySet()));
    }

    @Test
    void a_new_instance_serves_saved_locks_and_files_from_the_database_without_any_registry() throws Exception {
        long valId = valWithVersions(2);
        var imports = List.of("npm:preact@^10", "npm:preact-render-to-string@6.5.13");
        Lock saved = new PackageLocks(store, resolver(registry(registryServer.url()))).lockFor(valId, 1, imports).orElseThrow();
        registryServer.close();
        registryServer = new TestRegistry(); // for @AfterEach; nothing below is pointed at it

        var fresh = PackageLocks.create(dataSource, "http://127.0.0.1:1", 300, AllowList.parse("127.0.0.1"));
        assertEquals(Optional.of(saved), fresh.lockOf(valId, 1));
        assertEquals(Optional.of(saved), fresh.lockFor(valId, 2, imports));
        var preactFiles = unpack("preact-10.29.6.tgz");
        assertArrayEquals(preactFiles.get("dist/preact.module.js"), fresh.store().file("preact", "10.29.6", "dist/preact.module.js").orElseThrow());
        assertEquals(Optional.empty(), fresh.store().file("preact", "10.29.6", "dist/nope.js"));

        // content-addressed: one row per distinct content across both packages, one path row per file
        var renderFiles = unpack("preact-render-to-string-6.5.13.tgz");
        var distinct = new HashSet<String>();
        for (var files : List.of(preactFiles, renderFiles)) {
            for (byte[] content : files.values()) distinct.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }
        assertEquals(distinct.size(), count("SELECT count(*) FROM app.package_files"));
        assertEquals(preactFiles.size() + renderFiles.size(), count("SELECT count(*) FROM app.package_version_files"));
    }
}
