package org.lottery4j.export;

import java.util.Arrays;

/**
 * A Linear {@code [out, in]} or Conv {@code [out, in, kH, kW]} weight seen as the matrix
 * {@code [rows, k]} whose rows hold the reduction dimension: {@code [out, in]} as is, Conv as
 * {@code [out, kH, kW, in]} (row = output channel and kernel position, column = input channel).
 */
record TorchMatrix(int out, int positions, int k) {

    static TorchMatrix of(long[] shape) {
        if (shape.length == 2) {
            return new TorchMatrix((int) shape[0], 1, (int) shape[1]);
        }
        if (shape.length == 4) {
            return new TorchMatrix((int) shape[0], (int) (shape[2] * shape[3]), (int) shape[1]);
        }
        throw new IllegalArgumentException("not a Linear or Conv weight shape: " + Arrays.toString(shape));
    }

    /**
     * DL4J's dense weight {@code W} of shape {@code [nIn, nOut]}, flat in {@code order}, as PyTorch's
     * Linear weight {@code [nOut, nIn]} in row-major order (the reduction dimension contiguous).
     */
    static float[] linearWeight(float[] w, long[] shape, char order) {
        if (order == 'f') {
            return w; // column-major [nIn, nOut] is row-major [nOut, nIn]
        }
        int nIn = (int) shape[0];
        int nOut = (int) shape[1];
        float[] out = new float[w.length];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                out[o * nIn + i] = w[i * nOut + o];
            }
        }
        return out;
    }

    int rows() {
        return out * positions;
    }

    /** C-order tensor values to the row-major matrix. */
    float[] toMatrix(float[] tensor) {
        if (positions == 1) {
            return tensor;
        }
        float[] m = new float[tensor.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < positions; p++) {
                    m[(o * positions + p) * k + c] = tensor[(o * k + c) * positions + p];
                }
            }
        }
        return m;
    }

    /** The row-major matrix back to C-order tensor values. */
    float[] toTensor(float[] matrix) {
        if (positions == 1) {
            return matrix;
        }
        float[] t = new float[matrix.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < positions; p++) {
                    t[(o * k + c) * positions + p] = matrix[(o * positions + p) * k + c];
                }
            }
        }
        return t;
    }
}
