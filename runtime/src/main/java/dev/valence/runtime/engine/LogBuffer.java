package dev.valence.runtime.engine;

/**
 * The console output of one invocation, capped at a byte limit; past it lines are counted, not kept.
 * Written by the guest thread through the prelude's console, read by the same thread afterwards.
 */
final class LogBuffer {
    private final int limitBytes;
    private final StringBuilder text = new StringBuilder();
    private int bytes;
    private long droppedBytes;

    LogBuffer(int limitBytes) {
        this.limitBytes = limitBytes;
    }

    void append(String line) {
        int size = utf8Length(line) + 1;
        if (bytes + size > limitBytes) {
            droppedBytes += size;
            return;
        }
        if (!text.isEmpty()) text.append('\n');
        text.append(line);
        bytes += size;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) bytes++;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
    }

    /** The logs so far, with a note when the limit dropped some; empties the buffer. */
    String take() {
        String result = text.toString();
        if (droppedBytes > 0) {
            result += (result.isEmpty() ? "" : "\n") + "[valence] log limit of " + limitBytes + " bytes reached; "
                    + droppedBytes + " more bytes were dropped";
        }
        text.setLength(0);
        bytes = 0;
        droppedBytes = 0;
        return result;
    }
}
