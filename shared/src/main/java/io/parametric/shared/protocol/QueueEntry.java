package io.parametric.shared.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One entry of a worker's lists, exactly as Redis holds it: bytes, never re-encoded, so the
 * scripts that remove it ({@code LREM} in {@code finish-8.lua}) always find it, whatever it
 * contains. Its text is read only to parse the job, and only when it is valid UTF-8.
 *
 * <pre>{@code
 * QueueEntry e = fleet.fetch(pid, Duration.ofSeconds(1));
 * JobPayload p = JobPayload.parse(e.text());
 * }</pre>
 */
public final class QueueEntry {

    private final byte[] bytes;

    private QueueEntry(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the entry as Redis returned it (kept, not copied)
     * @return the entry, or null for null
     */
    public static QueueEntry of(byte[] bytes) {
        return bytes == null ? null : new QueueEntry(bytes);
    }

    /**
     * @param text an entry written as text
     * @return its UTF-8 bytes as an entry
     */
    public static QueueEntry of(String text) {
        return new QueueEntry(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the exact bytes; not to be modified */
    public byte[] bytes() {
        return bytes;
    }

    /** @return its length in bytes */
    public int size() {
        return bytes.length;
    }

    /**
     * @return the entry as text
     * @throws IllegalArgumentException when it is not valid UTF-8
     */
    public String text() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the entry is not valid UTF-8 (" + bytes.length + " bytes); a job is UTF-8 JSON");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueEntry other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "entry of " + bytes.length + " bytes";
    }
}
