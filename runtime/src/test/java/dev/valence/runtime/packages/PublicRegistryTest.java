package dev.valence.runtime.packages;

import dev.valence.foundation.outbound.AllowList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.valence.runtime.TestDatabase;
import dev.valence.runtime.db.Migrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One resolution against the public npm registry itself; skipped, saying so, where it cannot be reached. */
@Timeout(60)
class PublicRegistryTest {
    private static final String PUBLIC = "https://registry.npmjs.org";

    private static boolean reachable() {
        try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            var request = HttpRequest.newBuilder(URI.create(PUBLIC + "/ms")).timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void an_exact_version_resolves_from_the_public_registry_to_the_bytes_it_published() throws Exception {
        assumeTrue(reachable(), "the public npm registry (" + PUBLIC + ") is not reachable from here: skipped");
        var dataSource = TestDatabase.dataSource(TestDatabase.newDatabase("public_registry"));
        Migrations.migrate(dataSource);
        var store = new PackageStore(dataSource);
        // the host is allowed by name: where the registry is reached through a proxy or filtering resolver, its name can
        // resolve to an address the outbound guard otherwise refuses (this build machine answers with TEST-NET-3)
        var allow = AllowList.parse("registry.npmjs.org");
        var resolver = new Resolver(new Registry(Registry.Settings.defaults(URI.create(PUBLIC), Duration.ofSeconds(300), allow)), store,
                Resolver.Limits.defaults());

        Lock lock = resolver.resolve(List.of(Specifiers.parse("npm:ms@2.1.3").orElseThrow()));

        String packed = "sha512-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-512").digest(TestTarballs.bytes("ms-2.1.3.tgz")));
        assertEquals(packed, lock.packages().get("ms@2.1.3").integrity());
        assertEquals(Lock.Entry.file("ms@2.1.3", "index.js"), lock.imports().get("npm:ms@2.1.3"));
    }
}
