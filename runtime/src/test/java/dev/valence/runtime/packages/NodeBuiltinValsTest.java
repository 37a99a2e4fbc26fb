package dev.valence.runtime.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node: built-ins that real npm packages need (buffer, string_decoder, crypto, stream), each proved by a val
 * importing a published package that uses it, served by the test's own registry (TestRegistry) and run in a real
 * runtime. Every expected answer is what Node gives for the same code: the val's source with {@code npm:name@version}
 * written as {@code name}, saved as answer.mjs in a directory where {@code npm install name@version} ran, then
 * {@code node -e 'import("./answer.mjs").then(async (m) => console.log(await (await m.default()).text()))'}
 * (Node 20.20.2).
 */
class NodeBuiltinValsTest {
    static TestRegistry registry;
    static TestPlatform platform;
    static String token;

    @BeforeAll
    static void start() {
        TestTarballs.bytes("ms-2.1.3.tgz"); // a clean build runs npm pack here, once
        registry = new TestRegistry();
        platform = TestPlatform.start("node-builtin-vals", Map.of("NPM_REGISTRY_URL", registry.url(), "NPM_REGISTRY_ALLOW", "127.0.0.1"));
        token = platform.createUser("ann");
    }

    @AfterAll
    static void stop() {
        platform.close();
        registry.close();
    }

    private static String answer(String val, String code) {
        platform.createVal(token, val, code);
        var reply = platform.get("/v/ann/" + val);
        assertEquals(200, reply.status(), reply.body());
        return reply.body();
    }

    /** cookie-signature (Express's signed cookies): createHmac, timingSafeEqual, and the Buffer global of CommonJS code. */
    @Test
    void cookie_signature_signs_and_checks_cookies_with_hmacs_and_the_buffer_global() {
        String body = answer("cookies", """
                import { sign, unsign } from "npm:cookie-signature@1.2.2";
                export default () => {
                  const signed = sign("ann", "s3cret");
                  return Response.json({ signed, back: unsign(signed, "s3cret"), forged: unsign(signed.slice(0, -1) + "x", "s3cret"),
                    otherSecret: unsign(signed, "other"), short: unsign("ann.x", "s3cret") });
                };
                """);

        assertEquals(new JsonObject("{\"signed\":\"ann.HRkUOZzEodHcDxWewwxZ7Z8quq2lZP8poZEEIuJAbMI\",\"back\":\"ann\",\"forged\":false,"
                + "\"otherSecret\":false,\"short\":false}"), new JsonObject(body));
    }

    /**
     * jws (under jsonwebtoken): Buffer through safe-buffer with latin1 and base64, HMACs through jwa, and node:stream, which
     * its streaming signer is built on (a PassThrough piped into jws's own pre-class Stream subclass).
     */
    @Test
    void jws_signs_verifies_and_decodes_tokens_and_signs_a_streamed_payload() {
        String body = answer("tokens", """
                import jws from "npm:jws@4.0.0";
                import { PassThrough } from "node:stream";
                export default async () => {
                  const token = jws.sign({ header: { alg: "HS256", typ: "JWT" }, payload: { sub: "ann", name: "Zoë" }, secret: "k" });
                  const hs512 = jws.sign({ header: { alg: "HS512" }, payload: "plain text", secret: "k2" });
                  const payload = new PassThrough();
                  const streamed = new Promise((resolve, reject) => {
                    const signer = jws.createSign({ header: { alg: "HS256" }, secret: "k", payload });
                    signer.on("done", resolve);
                    signer.on("error", reject);
                  });
                  payload.write('{"sub":');
                  payload.end('"bo"}');
                  return Response.json({ token, valid: jws.verify(token, "HS256", "k"), wrongKey: jws.verify(token, "HS256", "nope"),
                    decoded: jws.decode(token), hs512, hs512Valid: jws.verify(hs512, "HS512", "k2"), streamed: await streamed });
                };
                """);

        assertEquals(new JsonObject("{\"token\":\"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJuYW1lIjoiWm_DqyJ9.RPXEhOOEOIuTcyQDj1FW3F3h-pXz_8mRoGS6y_ZxJ6k\","
                + "\"valid\":true,\"wrongKey\":false,\"decoded\":{\"header\":{\"alg\":\"HS256\",\"typ\":\"JWT\"},"
                + "\"payload\":{\"sub\":\"ann\",\"name\":\"Zoë\"},"
                + "\"signature\":\"RPXEhOOEOIuTcyQDj1FW3F3h-pXz_8mRoGS6y_ZxJ6k\"},"
                + "\"hs512\":\"eyJhbGciOiJIUzUxMiJ9.cGxhaW4gdGV4dA.865ay1X_NpR-mHqmrPJ6rEKQyB6IoFheqQZT06VIj0S9qUypppvhd6xFygYMfY9tuF8WyQE8GdOcwW6FAFUitg\","
                + "\"hs512Valid\":true,"
                + "\"streamed\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJibyJ9.oOw1EJF0KLCudoKXavH-WWW1WztVPcBYC7hZBmi-oEM\"}"), new JsonObject(body));
    }

    /** split2 (newline-delimited JSON): a Transform stream decoding UTF-8 with a StringDecoder, characters cut between chunks. */
    @Test
    void split2_splits_lines_whose_characters_are_cut_between_chunks() {
        String body = answer("lines", """
                import split from "npm:split2@4.2.0";
                export default async () => {
                  const bytes = new TextEncoder().encode('{"name":"Zoë"}\\n{"name":"日本"}\\r\\n{"n":3}');
                  const lines = split(JSON.parse);
                  const seen = [];
                  lines.on("data", (row) => seen.push(row));
                  const ended = new Promise((resolve, reject) => { lines.on("end", resolve); lines.on("error", reject); });
                  lines.write(bytes.subarray(0, 12)); // inside ë
                  lines.write(bytes.subarray(12, 26)); // inside 日
                  lines.end(bytes.subarray(26));
                  await ended;
                  return Response.json({ seen });
                };
                """);

        assertEquals(new JsonObject("{\"seen\":[{\"name\":\"Zoë\"},{\"name\":\"日本\"},{\"n\":3}]}"), new JsonObject(body));
    }

    /** md5-hex and uid-safe (createHash and randomBytes from packages), and node:crypto's hashes, HMACs and WebCrypto directly. */
    @Test
    void packages_hash_with_md5_and_draw_random_ids_and_node_crypto_hashes_as_node_does() {
        String body = answer("hashes", """
                import md5 from "npm:md5-hex@3.0.1";
                import uid from "npm:uid-safe@2.1.5";
                import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual, webcrypto } from "node:crypto";
                import { Buffer } from "node:buffer";
                export default async () => {
                  const running = createHash("sha256").update("Zo");
                  const copy = running.copy();
                  const id = await uid(18);
                  return Response.json({
                    md5: md5("Zoë"), md5Parts: md5(["Zo", Buffer.from("ë")]),
                    sha1: createHash("sha1").update("abc").digest("hex"),
                    sha256: running.update("ë").digest("base64"), sha256Copy: copy.digest("hex"),
                    sha512: createHash("SHA512").update(Buffer.from("616263", "hex")).digest("base64url"),
                    hmacEmptyKey: createHmac("sha1", "").update("x").digest("hex"),
                    hmac384: createHmac("sha384", Buffer.from([1, 2, 3])).update("a").update("b", "latin1").digest("hex"),
                    subtle: Buffer.from(await webcrypto.subtle.digest("SHA-256", Buffer.from("abc"))).toString("hex"),
                    same: timingSafeEqual(Buffer.from("ab"), Buffer.from("ab")),
                    uid: [id.length, /^[A-Za-z0-9_-]+$/.test(id), uid.sync(24).length],
                    random: [randomBytes(16).length, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(randomUUID())],
                  });
                };
                """);

        assertEquals(new JsonObject("{\"md5\":\"fb44af73417cf03c023d098e7f07c114\",\"md5Parts\":\"fb44af73417cf03c023d098e7f07c114\","
                + "\"sha1\":\"a9993e364706816aba3e25717850c26c9cd0d89d\","
                + "\"sha256\":\"xqEmmFgvwRBOokEHotcmgUX/Bu+FlwdynQH9BgiX8Gc=\","
                + "\"sha256Copy\":\"c62b59c347921ada43807e9ec767b16e62ee347a6d96bb5019c9987de2fd9882\","
                + "\"sha512\":\"3a81oZNherrMQXNJriBBMRLm-k6JqX6iCp7u5ktV05ohkpkqJ0_BqDa6PCOj_uu9RU1EI2Q86A4qmslPpUyknw\","
                + "\"hmacEmptyKey\":\"6244e66451a1c8695db9731ce2c4fd5de25ccf87\","
                + "\"hmac384\":\"b161d5ea1de6e52f330f4994751ee413feaf371270c1550d4224458da57f5ee6f40c61dbc697d87dcc8ad6731bde2f2b\","
                + "\"subtle\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"same\":true,"
                + "\"uid\":[24,true,32],\"random\":[16,true]}"), new JsonObject(body));
    }

    @Test
    void node_buffer_converts_encodings_and_reads_and_writes_integers_as_node_does() {
        String body = answer("buffers", """
                import { Buffer } from "node:buffer";
                import { StringDecoder } from "node:string_decoder";
                export default () => {
                  const b = Buffer.from("héllo wörld");
                  const u = Buffer.alloc(10);
                  u.writeUInt32BE(0xdeadbeef, 0);
                  u.writeUInt16LE(513, 4);
                  u.writeInt8(-2, 6);
                  u.writeUIntBE(0x123456, 7, 3);
                  const view = b.subarray(0, 1);
                  view[0] = 72;
                  const euro = Buffer.from("€");
                  const decoder = new StringDecoder("utf8");
                  return Response.json({
                    hex: b.toString("hex"), base64: b.toString("base64"), base64url: Buffer.from([251, 255, 191]).toString("base64url"),
                    fromBase64: Buffer.from("aGk/Pz4+ fg==", "base64").toString("latin1"), fromBase64url: Buffer.from("-_8", "base64url").toJSON(),
                    latin1: Buffer.from("héllo", "latin1").toString("hex"), badHex: Buffer.from("abzz12", "hex").toString("hex"),
                    shared: b.toString("utf8", 0, 2), slice: b.slice(1, 3).toString("hex"),
                    concat: Buffer.concat([Buffer.from("a"), Buffer.from("bc")], 2).toString(), byteLength: Buffer.byteLength("日本"),
                    compare: [Buffer.compare(Buffer.from("a"), Buffer.from("b")), Buffer.from("b").compare(Buffer.from("a"))],
                    equals: Buffer.from("x").equals(new Uint8Array([120])),
                    isBuffer: [Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(1)), b instanceof Uint8Array, b.slice(1) instanceof Buffer],
                    ints: [u.readUInt32BE(0), u.readUInt16LE(4), u.readInt8(6), u.readUIntBE(7, 3), u.readInt32LE(0), u.toString("hex")],
                    written: [Buffer.alloc(4).write("ab€", 1), Buffer.alloc(3, "ab").toString(), Buffer.from("€uro").indexOf("uro")],
                    decoded: [decoder.write(euro.subarray(0, 1)), decoder.write(euro.subarray(1, 2)), decoder.write(euro.subarray(2)), decoder.end()],
                    cut: new StringDecoder("utf8").end(euro.subarray(0, 2)),
                  });
                };
                """);

        assertEquals(new JsonObject("{\"hex\":\"48c3a96c6c6f2077c3b6726c64\",\"base64\":\"SMOpbGxvIHfDtnJsZA==\",\"base64url\":\"-_-_\","
                + "\"fromBase64\":\"hi??>>~\",\"fromBase64url\":{\"type\":\"Buffer\",\"data\":[251,255]},"
                + "\"latin1\":\"68e96c6c6f\",\"badHex\":\"ab\",\"shared\":\"H\\ufffd\",\"slice\":\"c3a9\","
                + "\"concat\":\"ab\",\"byteLength\":6,\"compare\":[-1,1],\"equals\":true,"
                + "\"isBuffer\":[true,false,true,true],"
                + "\"ints\":[3735928559,513,-2,1193046,-272716322,\"deadbeef0102fe123456\"],\"written\":[2,\"aba\",3],"
                + "\"decoded\":[\"\",\"\",\"€\",\"\"],\"cut\":\"\\ufffd\"}"), new JsonObject(body));
    }

    /**
     * node:stream is Node's own stream code: a Writable past its highWaterMark answers false and emits 'drain', pipeline
     * (as a promise) and async iteration work, chunks are Buffers, and the stream operators (map, toArray) are there.
     */
    @Test
    void node_stream_applies_backpressure_and_has_nodes_pipeline_iteration_and_operators() {
        String body = answer("streams", """
                import { Readable, Writable, Transform, PassThrough, promises } from "node:stream";
                import { once } from "node:events";
                import { Buffer } from "node:buffer";
                export default async () => {
                  const seen = [];
                  const sink = new Writable({ highWaterMark: 3, write(chunk, encoding, callback) { seen.push(chunk.toString()); setTimeout(callback, 1); } });
                  const accepted = [sink.write("ab"), sink.write("c"), sink.write("d")];
                  await once(sink, "drain");
                  const upper = new Transform({ transform(chunk, encoding, callback) { callback(null, chunk.toString().toUpperCase()); } });
                  const lines = [];
                  await promises.pipeline(Readable.from(["x", "yé"]), upper, new Writable({ write(chunk, encoding, callback) { lines.push([Buffer.isBuffer(chunk), chunk.toString("hex")]); callback(); } }));
                  const chunks = [];
                  for await (const chunk of Readable.from([Buffer.from("hé")]).pipe(new PassThrough())) chunks.push([Buffer.isBuffer(chunk), chunk.length]);
                  return Response.json({ accepted, seen, drained: sink.writableLength, lines, chunks,
                    operators: [typeof Readable.prototype.map, await Readable.from([1, 2, 3]).map((n) => n * 2).toArray()] });
                };
                """);

        assertEquals(new JsonObject("{\"accepted\":[true,false,false],\"seen\":[\"ab\",\"c\",\"d\"],\"drained\":0,"
                + "\"lines\":[[true,\"58\"],[true,\"59c389\"]],\"chunks\":[[true,3]],\"operators\":[\"function\",[2,4,6]]}"),
                new JsonObject(body));
    }
}
