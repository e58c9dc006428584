package org.lottery4j.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for the text inside files users load: a malformed byte is an error, never a
 * replacement character, and no parser gets to guess another encoding (Jackson reads a byte array
 * as UTF-16 or UTF-32 when its first bytes look like one), so every reader sees the same text.
 *
 * <pre>{@code
 * String header = Utf8.decode(bytes);   // CharacterCodingException for anything but UTF-8
 * }</pre>
 */
public final class Utf8 {

    private Utf8() {}

    /** The text of {@code bytes}, which must be UTF-8. */
    public static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
