package org.lottery4j.sparsity;

import java.util.Arrays;
import java.util.Optional;
import org.lottery4j.network.ParamInfo;

/**
 * Where the reduction-dimension groups of a weight tensor lie in its flat element order. The
 * tensor is seen as {@code rows = outer x inner} rows of {@code k} reduction elements: row
 * {@code r} starts at {@code (r / inner) * outerStride + r % inner}, and its elements are
 * {@code kStride} apart.
 *
 * <ul>
 *   <li>DL4J dense W {@code [nIn, nOut]} in 'f' order, and PyTorch Linear {@code [out, in]}: one
 *       row per output unit, {@code k = nIn}, contiguous ({@code kStride = 1}).
 *   <li>Convolution W {@code [nOut, nIn, kH, kW]} in 'c' order (DL4J and PyTorch alike), and 1-D
 *       convolutions ({@code [nOut, nIn, k, 1]}, PyTorch {@code [out, in, k]}): one row per output
 *       channel and kernel position, {@code k = nIn}, {@code kStride = kH x kW}.
 * </ul>
 */
record GroupLayout(int outer, int inner, int k, int outerStride, int kStride) {

    int rows() {
        return outer * inner;
    }

    int rowStart(int row) {
        return (row / inner) * outerStride + row % inner;
    }

    long groups(int m) {
        return (long) rows() * (k / m);
    }

    /** Contiguous rows one after the other: the fast paths apply. */
    boolean contiguous() {
        return kStride == 1 && inner == 1 && outerStride == k;
    }

    /** A row-major matrix {@code [rows, k]}. */
    static GroupLayout matrix(int rows, int k) {
        if (rows < 0 || k < 0) {
            throw new IllegalArgumentException("negative matrix size [" + rows + ", " + k + "]");
        }
        return new GroupLayout(rows, 1, k, k, 1);
    }

    /**
     * The layout of a network parameter in its flat DL4J order, or {@code null} with the reason in
     * {@code why[0]} when it has no PyTorch weight layout ({@link TorchLayout}).
     */
    static GroupLayout of(ParamInfo p, String[] why) {
        Optional<long[]> torch = TorchLayout.weightShape(p);
        if (torch.isEmpty()) {
            why[0] = p.layerType() + " parameter " + p.key().param() + " of shape " + Arrays.toString(p.shape())
                    + " in '" + p.order() + "' order has no known matrix-multiply layout (N:M covers the weights of "
                    + "dense, output and 1-D and 2-D convolution layers)";
            return null;
        }
        long[] s = p.shape();
        if (s.length == 2 && p.order() == 'c') {
            return checked(1, s[1], s[0], 0, s[1]); // element (in, out) at in * nOut + out
        }
        return ofTorch(torch.get()); // the flat elements are in PyTorch's order already
    }

    /**
     * The layout of a tensor in PyTorch's layout (C order): Linear {@code [out, in]}, Conv1d
     * {@code [out, in, k]} or Conv2d {@code [out, in, kH, kW]}; {@code null} for other ranks.
     */
    static GroupLayout ofTorch(long[] shape) {
        if (!TorchLayout.isWeightShape(shape)) {
            return null;
        }
        long positions = TorchLayout.positions(shape);
        return checked(shape[0], positions, shape[1], shape[1] * positions, positions);
    }

    private static GroupLayout checked(long outer, long inner, long k, long outerStride, long kStride) {
        if (outer * inner * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensors over 2^31 elements are not supported");
        }
        return new GroupLayout((int) outer, (int) inner, (int) k, (int) outerStride, (int) kStride);
    }
}
