package org.lottery4j.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafetensorsRoundingTest {

    private static int f16(float v) {
        return FloatType.toF16(v) & 0xffff;
    }

    private static int bf16(float v) {
        return FloatType.toBf16(v) & 0xffff;
    }

    @Test
    void f16KnownValues() {
        assertThat(f16(1f)).isEqualTo(0x3c00);
        assertThat(f16(-2f)).isEqualTo(0xc000);
        assertThat(f16(0.1f)).isEqualTo(0x2e66);
        assertThat(f16(1f / 3)).isEqualTo(0x3555);
        assertThat(f16(-0f)).isEqualTo(0x8000);
        assertThat(f16(65504f)).isEqualTo(0x7bff); // largest finite
        assertThat(f16(65519.99f)).isEqualTo(0x7bff);
        assertThat(f16(65520f)).isEqualTo(0x7c00); // halfway to 2^16: ties to even = infinity
        assertThat(f16(1e6f)).isEqualTo(0x7c00);
        assertThat(f16(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
        assertThat(f16(Float.NaN)).isEqualTo(0x7e00);
        assertThat(f16(0x1p-14f)).isEqualTo(0x0400); // smallest normal
        assertThat(f16(0x1p-24f)).isEqualTo(0x0001); // smallest subnormal
        assertThat(f16(0x1p-25f)).isEqualTo(0x0000); // halfway to it: ties to even = 0
        assertThat(f16(Math.nextUp(0x1p-25f))).isEqualTo(0x0001);
        assertThat(f16(0x1.8p-24f)).isEqualTo(0x0002); // 1.5 units: ties to even = 2
        assertThat(f16(0x1.8p-23f)).isEqualTo(0x0003); // 3 units, exact
        assertThat(f16(1 + 0x1p-11f)).isEqualTo(0x3c00); // halfway between 1 and 1+2^-10: even
        assertThat(f16(1 + 0x3p-11f)).isEqualTo(0x3c02); // halfway between odd 0x3c01 and 0x3c02
        assertThat(f16(0x1.ffcp-15f)).isEqualTo(0x0400); // the largest subnormal rounds up into the normals
    }

    @Test
    void bf16KnownValues() {
        assertThat(bf16(1f)).isEqualTo(0x3f80);
        assertThat(bf16((float) Math.PI)).isEqualTo(0x4049); // 0x40490fdb: low half below 0x8000
        assertThat(bf16(0.1f)).isEqualTo(0x3dcd); // 0x3dcccccd: rounds up
        assertThat(bf16(1 + 0x1p-8f)).isEqualTo(0x3f80); // halfway: even
        assertThat(bf16(1 + 0x3p-8f)).isEqualTo(0x3f82); // halfway from odd 0x3f81: up
        assertThat(bf16(-0f)).isEqualTo(0x8000);
        assertThat(bf16(Float.MAX_VALUE)).isEqualTo(0x7f80); // rounds to infinity
        assertThat(bf16(Float.NaN)).isEqualTo(0x7fc0);
        assertThat(bf16(Float.intBitsToFloat(0x7f800001))).isEqualTo(0x7fc0); // signalling NaN stays NaN
    }

    @Test
    void everyF16ValueRoundTripsAndEveryMidpointRoundsToEven() {
        for (int h = 0; h < 0x7c00; h++) { // every finite non-negative half
            float v = FloatType.fromF16((short) h);
            assertThat(f16(v)).as("0x%04x", h).isEqualTo(h);
            assertThat(f16(-v)).isEqualTo(h | 0x8000);
            float next = FloatType.fromF16((short) (h + 1)); // 0x7c00 is infinity: 65504 -> 65536
            float mid = h + 1 == 0x7c00 ? 65520f : (v + next) / 2; // exact in binary32
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(f16(mid)).as("midpoint above 0x%04x", h).isEqualTo(even);
            assertThat(f16(Math.nextDown(mid))).isEqualTo(h);
            assertThat(f16(Math.nextUp(mid))).isEqualTo(h + 1);
        }
    }

    @Test
    void bf16MidpointsRoundToEven() {
        for (int b = 0; b < 0x7f80; b += 7) {
            float v = FloatType.fromBf16((short) b);
            assertThat(bf16(v)).isEqualTo(b);
            float mid = Float.intBitsToFloat((b << 16) | 0x8000);
            assertThat(bf16(mid)).isEqualTo((b & 1) == 0 ? b : b + 1);
            assertThat(bf16(Math.nextDown(mid))).isEqualTo(b);
            assertThat(bf16(Math.nextUp(mid))).isEqualTo(b + 1);
        }
    }
}
