package org.lottery4j.export;

/**
 * The floating-point types lottery4j exports, named as safetensors names them. Narrowing from
 * {@code float} rounds to nearest, ties to even (as PyTorch's {@code tensor.half()} and
 * {@code tensor.bfloat16()} do); values beyond the F16 range become infinities, NaN stays NaN.
 *
 * <pre>{@code
 * SafetensorsExporter.builder().dtype(FloatType.BF16).build().export(net, Path.of("model.safetensors"));
 * }</pre>
 */
public enum FloatType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16: 5 exponent bits, 10 mantissa bits, largest finite value 65504. */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32, 8 exponent bits, 7 mantissa bits. */
    BF16(2);

    private final int bytes;

    FloatType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} in a safetensors header, or {@code null} for other types. */
    static FloatType ofName(String name) {
        for (FloatType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** binary32 to binary16 bits, rounding to nearest even. */
    static short toF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int abs = f & 0x7fffffff;
        if (abs >= 0x7f800000) { // infinity, or NaN kept quiet with its top payload bits
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) { // >= 65520, halfway between 65504 and 2^16: rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // normal in binary16 (>= 2^-14)
            int h = ((abs >>> 23) - 112) << 10 | (abs & 0x7fffff) >>> 13;
            int rest = abs & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
                h++; // a carry into the exponent is the right result
            }
            return (short) (sign | h);
        }
        if (abs <= 0x33000000) { // <= 2^-25, at most half the smallest subnormal: rounds to zero (even)
            return (short) sign;
        }
        // subnormal: units of 2^-24
        int mantissa = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - (abs >>> 23);
        int h = mantissa >>> shift;
        int rest = mantissa & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (h & 1) != 0)) {
            h++;
        }
        return (short) (sign | h);
    }

    /** binary16 bits to binary32 (exact). */
    static float fromF16(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exp == 0) {
            float v = mantissa * 0x1p-24f; // subnormal or zero, exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mantissa << 13);
    }

    /** binary32 to bfloat16 bits, rounding to nearest even. */
    static short toBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7fffffff) > 0x7f800000) {
            return (short) ((f >>> 16) | 0x40); // NaN stays NaN (quiet)
        }
        return (short) ((f + 0x7fff + ((f >>> 16) & 1)) >>> 16);
    }

    /** bfloat16 bits to binary32 (exact). */
    static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
