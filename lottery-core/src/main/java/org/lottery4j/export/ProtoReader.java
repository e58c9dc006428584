package org.lottery4j.export;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers decoder over a byte array: reads one field at a time and skips the
 * ones the caller does not need. Malformed input (a truncated field, a bad wire type, a varint
 * longer than ten bytes) throws {@link IllegalStateException} with the position.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        long t = varint();
        int wireType = (int) (t & 7);
        if (t >>> 3 == 0 || t >>> 3 > 0x1FFFFFFF || (wireType != VARINT && wireType != FIXED64
                && wireType != LENGTH_DELIMITED && wireType != FIXED32)) {
            throw new IllegalStateException("invalid field tag " + t + " at byte " + pos);
        }
        tag = (int) t;
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long int64() {
        expect(VARINT);
        return varint();
    }

    byte[] bytes() {
        expect(LENGTH_DELIMITED);
        int length = length();
        byte[] out = new byte[length];
        System.arraycopy(buf, pos, out, 0, length);
        pos += length;
        return out;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The current length-delimited field as a message of its own (no copy). */
    ProtoReader message() {
        expect(LENGTH_DELIMITED);
        int length = length();
        ProtoReader inner = new ProtoReader(buf, pos, pos + length);
        pos += length;
        return inner;
    }

    float float32() {
        expect(FIXED32);
        require(4);
        int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** Whether the reader has consumed all its bytes (for packed repeated fields). */
    boolean atEnd() {
        return pos >= end;
    }

    /** Reads one raw varint (an element of a packed repeated field). */
    long rawVarint() {
        return varint();
    }

    /** Reads one raw little-endian float (an element of a packed repeated float field). */
    float rawFloat32() {
        tag = FIXED32;
        return float32();
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> {
                require(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = length(); // before pos is read: length() moves it past the varint
                pos += length;
            }
            case FIXED32 -> {
                require(4);
                pos += 4;
            }
            default -> throw new IllegalStateException("invalid wire type " + wireType() + " at byte " + pos);
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - pos) {
            throw new IllegalStateException("field of " + length + " bytes at byte " + pos + " runs past the end ("
                    + (end - pos) + " bytes left)");
        }
        return (int) length;
    }

    private void expect(int wireType) {
        if (wireType() != wireType) {
            throw new IllegalStateException("field " + field() + " has wire type " + wireType() + ", expected "
                    + wireType + " (before byte " + pos + ")");
        }
    }

    private void require(int n) {
        if (end - pos < n) {
            throw new IllegalStateException("truncated at byte " + pos);
        }
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            require(1);
            byte b = buf[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes at byte " + pos);
    }
}
