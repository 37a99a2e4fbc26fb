package dev.valence.runtime.engine;

import java.io.ByteArrayOutputStream;

/** Collects a streamed body for callers that want the whole response (no sink of their own). */
final class BufferingSink implements ResponseSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void head(ResponseHead head) {}

    @Override
    public void chunk(byte[] chunk) {
        bytes.writeBytes(chunk);
    }

    @Override
    public void end() {}

    @Override
    public void cut() {}

    @Override
    public boolean gone() {
        return false;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }
}
