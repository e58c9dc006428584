package org.lottery4j.network;

import java.util.Arrays;

/**
 * One parameter array of a network and where it sits in the network's flat {@code params()} vector.
 *
 * <p>{@code offset} and {@code length} locate the parameter's elements in the flat vector; they are
 * stored there in {@code order} ('f' for dense weights {@code [nIn, nOut]}, 'c' for convolution
 * weights {@code [nOut, nIn, kH, kW]}), and masks use the same element order.
 *
 * <pre>{@code
 * for (ParamInfo p : NetworkView.of(net).params()) {
 *     System.out.println(p.key() + " " + p.layerKind() + " " + Arrays.toString(p.shape()) + " at " + p.offset());
 * }
 * }</pre>
 *
 * @param key layer name and parameter name
 * @param layerIndex position of the layer among the network's layers (in parameter order)
 * @param layerKind what the layer computes ({@link LayerKind#of}), the one classification every
 *     part of lottery4j reads
 * @param layerType simple class name of the layer configuration, such as {@code DenseLayer}, for messages
 * @param shape shape of the parameter array
 * @param order storage order of the parameter's elements in the flat vector
 * @param offset position of the first element in the flat vector
 * @param weight whether DL4J's own {@code ParamInitializer.isWeightParam} calls it a weight (not a
 *     bias or a normalization parameter), except layer-norm gains, which DL4J counts as weights to
 *     regularize them but which hold one scale per unit; which weights are pruned by default
 *     is decided in {@code org.lottery4j.prune.PruningScope}
 */
public record ParamInfo(ParamKey key, int layerIndex, LayerKind layerKind, String layerType, long[] shape,
        char order, long offset, boolean weight) {

    public ParamInfo {
        shape = shape.clone();
    }

    /** Number of elements. */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamInfo p
                && key.equals(p.key)
                && layerIndex == p.layerIndex
                && layerKind == p.layerKind
                && layerType.equals(p.layerType)
                && Arrays.equals(shape, p.shape)
                && order == p.order
                && offset == p.offset
                && weight == p.weight;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape) + "@" + offset;
    }
}
