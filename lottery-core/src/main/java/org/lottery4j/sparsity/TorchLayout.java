package org.lottery4j.sparsity;

import java.util.Arrays;
import java.util.Optional;
import org.lottery4j.network.LayerKind;
import org.lottery4j.network.ParamInfo;

/**
 * Which PyTorch layout a DL4J weight has: the one answer that the N:M pruner and checker, the
 * safetensors exporter and the 2:4 codec share. A weight that has one is a Linear, Conv1d or
 * Conv2d weight; its reduction dimension ({@code in}) is where N:M groups lie.
 *
 * <ul>
 *   <li>Dense and output W {@code [nIn, nOut]}: Linear {@code [out, in]} (DL4J's 'f' order holds
 *       it already; a 'c'-order W is transposed).
 *   <li>{@code Convolution1DLayer} W {@code [nOut, nIn, k, 1]}: Conv1d {@code [out, in, k]}, the
 *       same elements.
 *   <li>Convolution W {@code [nOut, nIn, kH, kW]}: Conv2d, the same shape and elements.
 * </ul>
 * Any other parameter (biases, normalization, recurrent, depthwise or transposed convolution
 * weights) has none here.
 *
 * <pre>{@code
 * for (ParamInfo p : view.params()) {
 *     TorchLayout.weightShape(p).ifPresent(shape -> System.out.println(p.key() + ": PyTorch " + Arrays.toString(shape)
 *             + ", first value " + TorchLayout.weightValues(p, view.read(p))[0]));
 * }
 * }</pre>
 */
public final class TorchLayout {

    private TorchLayout() {}

    /** PyTorch's shape of weight {@code p}, or empty if it is not a Linear, Conv1d or Conv2d weight. */
    public static Optional<long[]> weightShape(ParamInfo p) {
        long[] s = p.shape();
        if (!p.weight()) {
            return Optional.empty();
        }
        if (p.layerKind().isDenseMatrix() && s.length == 2) {
            return Optional.of(new long[] {s[1], s[0]});
        }
        if (p.layerKind() == LayerKind.CONVOLUTION && s.length == 4 && p.order() == 'c') {
            return Optional.of(s);
        }
        if (p.layerKind() == LayerKind.CONVOLUTION_1D && s.length == 4 && s[3] == 1 && p.order() == 'c') {
            return Optional.of(new long[] {s[0], s[1], s[2]});
        }
        return Optional.empty();
    }

    /**
     * The elements of weight {@code p}, given in DL4J's flat order ({@code flat}, as
     * {@code NetworkView.read} returns them), in PyTorch's layout and C order.
     *
     * @throws IllegalArgumentException if {@code p} has no PyTorch layout
     */
    public static float[] weightValues(ParamInfo p, float[] flat) {
        long[] s = weightShape(p).orElseThrow(() -> new IllegalArgumentException(p.key() + " " + Arrays.toString(p.shape())
                + " has no PyTorch weight layout"));
        if (s.length != 2 || p.order() == 'f') {
            return flat; // column-major [nIn, nOut] is row-major [nOut, nIn]; convolutions are C order alike
        }
        int nIn = (int) s[1];
        int nOut = (int) s[0];
        float[] out = new float[flat.length];
        for (int i = 0; i < nIn; i++) {
            for (int o = 0; o < nOut; o++) {
                out[o * nIn + i] = flat[i * nOut + o];
            }
        }
        return out;
    }

    /**
     * Whether {@code shape} is a weight layout this class knows: Linear {@code [out, in]}, Conv1d
     * {@code [out, in, k]} or Conv2d {@code [out, in, kH, kW]}.
     */
    public static boolean isWeightShape(long[] shape) {
        return shape.length >= 2 && shape.length <= 4;
    }

    /**
     * Rows of the matrix view of a weight of PyTorch shape {@code shape}: one per output channel
     * and kernel position ({@code out x k} for Conv1d, {@code out x kH x kW} for Conv2d).
     */
    public static int rows(long[] shape) {
        return (int) (shape[0] * positions(shape));
    }

    /** Columns of the matrix view: the reduction dimension {@code in}. */
    public static int k(long[] shape) {
        return (int) shape[1];
    }

    /**
     * A weight's C-order values as the row-major matrix {@code [rows, in]} whose rows hold the
     * reduction dimension: {@code [out, in]} as is, a convolution as {@code [out, positions, in]}.
     */
    public static float[] toMatrix(long[] shape, float[] tensor) {
        return transpose(shape, tensor, true);
    }

    /** The row-major matrix of {@link #toMatrix} back to the weight's C-order values. */
    public static float[] toTensor(long[] shape, float[] matrix) {
        return transpose(shape, matrix, false);
    }

    /** Kernel positions per output channel and input channel: 1 for Linear. */
    static long positions(long[] shape) {
        if (!isWeightShape(shape)) {
            throw new IllegalArgumentException("not a Linear, Conv1d or Conv2d weight shape: " + Arrays.toString(shape));
        }
        long positions = 1;
        for (int d = 2; d < shape.length; d++) {
            positions *= shape[d];
        }
        return positions;
    }

    private static float[] transpose(long[] shape, float[] from, boolean toMatrix) {
        int positions = (int) positions(shape);
        if (positions == 1) {
            return from;
        }
        int out = (int) shape[0];
        int k = (int) shape[1];
        float[] to = new float[from.length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < positions; p++) {
                    int tensor = (o * k + c) * positions + p;
                    int matrix = (o * positions + p) * k + c;
                    if (toMatrix) {
                        to[matrix] = from[tensor];
                    } else {
                        to[tensor] = from[matrix];
                    }
                }
            }
        }
        return to;
    }
}
