package dev.valence.runtime.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The codecs of CompressionStream and DecompressionStream ({@code host.web.zip}) on java.util.zip:
 * gzip (RFC 1952), deflate (zlib, RFC 1950) and deflate-raw (RFC 1951). fflate, bundled into the
 * sandbox, took 21 s to gzip 1 MiB on a cold context (1.1 s warm); the JDK's zlib takes milliseconds.
 *
 * <p>The prelude writes one chunk, then reads output until there is none, at most {@link #CHUNK_BYTES}
 * at a time, so a decompression bomb yields to the guest (and its limits) between chunks. Corrupt data
 * is reported as a sentence (a string result), which the prelude throws as a TypeError. Only byte
 * buffers, booleans and strings cross; the codec object stays inside the prelude's closure.
 */
abstract class ZipCodec {
    static final int CHUNK_BYTES = 64 * 1024;

    /** {@code zip(format, compress)}: an object with {@code write(bytes | null, last)} and {@code read()}. */
    static final ProxyExecutable OPEN = args -> {
        ZipCodec codec = open(args[0].asString(), args[1].asBoolean());
        return ProxyObject.fromMap(Map.of(
                "write", (ProxyExecutable) a -> codec.write(a[0].isNull() ? new byte[0] : WebHost.bytes(a[0]), a[1].asBoolean()),
                "read", (ProxyExecutable) a -> codec.read()));
    };

    final byte[] buffer = new byte[CHUNK_BYTES];

    /** Takes the next input; answers null, or a sentence saying why the data is corrupt. */
    abstract String write(byte[] input, boolean last);

    /** The next output (a byte buffer of at most {@link #CHUNK_BYTES}), null when more input is needed or all is out, or a sentence. */
    abstract Object read();

    static ZipCodec open(String format, boolean compress) {
        boolean gzip = format.equals("gzip");
        boolean raw = format.equals("deflate-raw");
        if (!gzip && !raw && !format.equals("deflate")) throw new IllegalArgumentException("unsupported format " + format);
        return compress ? new Compressor(gzip, raw) : new Decompressor(gzip, raw);
    }

    static ByteBuffer copy(byte[] bytes, int length) {
        return ByteBuffer.wrap(Arrays.copyOf(bytes, length));
    }

    private static final class Compressor extends ZipCodec {
        private final Deflater deflater;
        private final boolean gzip;
        private final CRC32 crc = new CRC32();
        private long size;
        private boolean headerSent;
        private boolean last;
        private boolean done;

        Compressor(boolean gzip, boolean raw) {
            this.gzip = gzip;
            this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, gzip || raw);
            this.headerSent = !gzip;
        }

        @Override
        String write(byte[] input, boolean last) {
            deflater.setInput(input);
            crc.update(input);
            size += input.length;
            if (last) {
                deflater.finish();
                this.last = true;
            }
            return null;
        }

        @Override
        Object read() {
            if (!headerSent) {
                headerSent = true;
                // magic, deflate, no flags, no time, no extra flags, unknown OS (what zlib's gzip writes without a file)
                return ByteBuffer.wrap(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
            }
            if (done) return null;
            if (!deflater.finished() && (last || !deflater.needsInput())) {
                int n = deflater.deflate(buffer);
                if (n > 0) return copy(buffer, n);
            }
            if (!deflater.finished()) return null;
            done = true;
            deflater.end();
            if (!gzip) return null;
            long crcValue = crc.getValue();
            return ByteBuffer.wrap(new byte[] {
                (byte) crcValue, (byte) (crcValue >> 8), (byte) (crcValue >> 16), (byte) (crcValue >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        }
    }

    private static final class Decompressor extends ZipCodec {
        private final Inflater inflater;
        private final boolean gzip;
        private final CRC32 crc = new CRC32();
        private long size;
        /** gzip: the header until it is complete; then the bytes after the deflate data (the trailer). */
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean headerDone;
        private byte[] input = new byte[0];
        private boolean last;
        private boolean checked;

        Decompressor(boolean gzip, boolean raw) {
            this.gzip = gzip;
            this.inflater = new Inflater(gzip || raw);
            this.headerDone = !gzip;
        }

        @Override
        String write(byte[] bytes, boolean last) {
            this.last |= last;
            if (checked || inflater.finished()) { // (an ended Inflater must not be asked again)
                if (!gzip && bytes.length > 0) return "there is data after the end of the compressed stream";
                pending.writeBytes(bytes);
                return null;
            }
            if (!headerDone) {
                pending.writeBytes(bytes);
                byte[] header = pending.toByteArray();
                int end;
                try {
                    end = gzipHeaderLength(header);
                } catch (DataFormatException e) {
                    return e.getMessage();
                }
                if (end < 0) return null; // the header is not complete yet
                headerDone = true;
                pending.reset();
                bytes = Arrays.copyOfRange(header, end, header.length);
            }
            input = bytes;
            inflater.setInput(bytes);
            return null;
        }

        @Override
        Object read() {
            try {
                if (!headerDone) return last ? "the data ended early (in the gzip header)" : null;
                if (checked) return checkEnd();
                if (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n > 0) {
                        crc.update(buffer, 0, n);
                        size += n;
                        return copy(buffer, n);
                    }
                    if (inflater.needsDictionary()) return "the data needs a preset dictionary, which is not supported";
                    if (!inflater.finished()) return last && inflater.needsInput() ? "the data ended early" : null;
                }
                checked = true; // the deflate data has ended: what is left of the input belongs to the trailer
                int remaining = inflater.getRemaining();
                pending.writeBytes(Arrays.copyOfRange(input, input.length - remaining, input.length));
                inflater.end();
                return checkEnd();
            } catch (DataFormatException e) {
                inflater.end();
                return e.getMessage() == null ? "the data is not valid" : e.getMessage();
            }
        }

        /** After the deflate data: nothing (deflate, deflate-raw) or exactly the 8-byte gzip trailer, which must match. */
        private String checkEnd() {
            byte[] rest = pending.toByteArray();
            if (!gzip) return rest.length > 0 ? "there is data after the end of the compressed stream" : null;
            if (rest.length < 8) return last ? "the data ended early (in the gzip trailer)" : null;
            if (rest.length > 8) return "there is data after the end of the gzip stream";
            long storedCrc = le32(rest, 0);
            long storedSize = le32(rest, 4);
            if (storedCrc != crc.getValue()) return "the gzip checksum does not match the data";
            if (storedSize != (size & 0xffffffffL)) return "the gzip length does not match the data";
            return null;
        }

        /** The length of a complete gzip header at the start of {@code b}, or -1 while it is incomplete. */
        private static int gzipHeaderLength(byte[] b) throws DataFormatException {
            if (b.length >= 1 && b[0] != 0x1f || b.length >= 2 && b[1] != (byte) 0x8b) throw new DataFormatException("the data is not in gzip format");
            if (b.length >= 3 && b[2] != 8) throw new DataFormatException("the gzip data uses an unknown compression method");
            if (b.length < 10) return -1;
            int flags = b[3] & 0xff;
            if ((flags & 0xe0) != 0) throw new DataFormatException("the gzip header has reserved flags set");
            int at = 10;
            if ((flags & 4) != 0) { // FEXTRA
                if (b.length < at + 2) return -1;
                at += 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
                if (b.length < at) return -1;
            }
            for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
                if ((flags & flag) == 0) continue;
                while (at < b.length && b[at] != 0) at++;
                if (at >= b.length) return -1;
                at++;
            }
            if ((flags & 2) != 0) at += 2; // FHCRC
            return b.length < at ? -1 : at;
        }

        private static long le32(byte[] b, int at) {
            return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
        }
    }
}
