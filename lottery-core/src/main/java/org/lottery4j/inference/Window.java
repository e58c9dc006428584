package org.lottery4j.inference;

import java.util.Arrays;

/**
 * Where a convolution's or pooling's window goes: kernel, stride and dilation per spatial axis,
 * and padding, either explicit ({@code top, left, bottom, right}) or "same" (output =
 * ceil(input / stride), the odd pixel at the bottom and right, as DL4J and ONNX SAME_UPPER pad).
 */
record Window(int[] kernel, int[] stride, int[] dilation, int[] pads, boolean same) {

    Window {
        if (kernel.length != 2 || stride.length != 2 || dilation.length != 2 || (!same && pads.length != 4)) {
            throw new IllegalArgumentException("a 2-D window needs 2 kernel sizes, strides and dilations and 4 pads, got "
                    + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(dilation)
                    + ", " + Arrays.toString(pads));
        }
        for (int i = 0; i < 2; i++) {
            if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1) {
                throw new IllegalArgumentException("kernel, stride and dilation must be positive, got "
                        + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(dilation));
            }
        }
        if (!same && Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException("negative padding " + Arrays.toString(pads));
        }
        if (same) {
            pads = new int[0];
        }
    }

    /**
     * For an input of {@code height x width}: output height, output width, pad top, pad left.
     * Computed in long from int settings, so nothing overflows on the way.
     *
     * @throws IllegalArgumentException if the window's extent or the padded input exceeds what an
     *     int indexes
     */
    int[] geometry(int height, int width) {
        int[] out = new int[4];
        for (int axis = 0; axis < 2; axis++) {
            long in = axis == 0 ? height : width;
            long extent = (kernel[axis] - 1L) * dilation[axis] + 1;
            long padded = same ? in : in + pads[axis] + pads[axis + 2];
            if (extent > Integer.MAX_VALUE || padded > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a window of kernel " + Arrays.toString(kernel) + ", dilation "
                        + Arrays.toString(dilation) + " and padding " + (same ? "same" : Arrays.toString(pads))
                        + " spans more than " + Integer.MAX_VALUE + " positions");
            }
            if (same) {
                long o = (in + stride[axis] - 1) / stride[axis];
                out[axis] = (int) o;
                out[2 + axis] = (int) (Math.max(0, (o - 1) * stride[axis] + extent - in) / 2);
            } else {
                out[axis] = padded < extent ? 0 : (int) ((padded - extent) / stride[axis] + 1);
                out[2 + axis] = pads[axis];
            }
        }
        return out;
    }

    /** Output positions {@code o} in {@code [0, outSize)} whose input {@code o * stride + offset} is inside {@code [0, inSize)}. */
    static int first(int offset, int stride) {
        return Math.max(0, -Math.floorDiv(offset, stride));
    }

    static int end(int offset, int stride, int inSize, int outSize) {
        return Math.max(0, Math.min(outSize, Math.floorDiv(inSize - 1 - offset, stride) + 1));
    }
}
