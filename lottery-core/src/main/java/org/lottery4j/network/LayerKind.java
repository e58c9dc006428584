package org.lottery4j.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * What a DL4J layer computes, decided once per layer from its configuration: the one answer every
 * part of lottery4j (the default pruning scope, N:M groups, the exporters) reads, so that no two
 * of them classify a layer differently.
 *
 * <p>DL4J's convolution classes all extend {@code ConvolutionLayer}, but only
 * {@code ConvolutionLayer} and {@code Convolution2D} are plain 2-D convolutions: 1-D and 3-D
 * convolutions, deconvolutions, depthwise and separable convolutions have their own kinds, because
 * their weights have other shapes and meanings. Wrappers ({@code Bidirectional},
 * {@code LastTimeStep}, {@code TimeDistributed}) take the kind of the layer they wrap.
 *
 * <pre>{@code
 * for (ParamInfo p : NetworkView.of(net).params()) {
 *     if (p.layerKind() == LayerKind.CONVOLUTION && p.weight()) {
 *         System.out.println(p.key() + " " + Arrays.toString(p.shape()));   // [nOut, nIn, kH, kW]
 *     }
 * }
 * }</pre>
 */
public enum LayerKind {
    /** {@code DenseLayer}: W {@code [nIn, nOut]}, b. */
    DENSE,
    /** Output layers ({@code OutputLayer}, {@code RnnOutputLayer}, {@code CenterLossOutputLayer}...): W {@code [nIn, nOut]}, b. */
    OUTPUT,
    /** {@code ConvolutionLayer} and {@code Convolution2D}: W {@code [nOut, nIn, kH, kW]}, b. */
    CONVOLUTION,
    /** {@code Convolution1DLayer} / {@code Convolution1D}. */
    CONVOLUTION_1D,
    /** {@code Convolution3D}. */
    CONVOLUTION_3D,
    /** {@code Deconvolution2D} and {@code Deconvolution3D}: W {@code [nIn, nOut, ...]}, transposed. */
    DECONVOLUTION,
    /** {@code DepthwiseConvolution2D}: one small kernel per input channel. */
    DEPTHWISE_CONVOLUTION,
    /** {@code SeparableConvolution2D}: a depthwise kernel W and a pointwise 1x1 kernel pW. */
    SEPARABLE_CONVOLUTION,
    /** {@code LSTM}, {@code GravesLSTM}, {@code GravesBidirectionalLSTM}, {@code SimpleRnn}: input weights W and recurrent weights RW. */
    RECURRENT,
    /** {@code EmbeddingLayer}, {@code EmbeddingSequenceLayer}: a lookup table W {@code [vocabulary, nOut]}. */
    EMBEDDING,
    /** {@code BatchNormalization}, {@code LocalResponseNormalization}. */
    NORMALIZATION,
    /** {@code SelfAttentionLayer}, {@code LearnedSelfAttentionLayer}, {@code RecurrentAttentionLayer}: query, key, value and output projections. */
    ATTENTION,
    /** Anything else: pooling, activation, dropout, custom layers. */
    OTHER;

    // most specific first: every convolution class extends ConvolutionLayer
    private static final List<Map.Entry<Class<? extends Layer>, LayerKind>> BY_CLASS = List.of(
            Map.entry(Convolution1DLayer.class, CONVOLUTION_1D),
            Map.entry(Convolution3D.class, CONVOLUTION_3D),
            Map.entry(Deconvolution2D.class, DECONVOLUTION),
            Map.entry(Deconvolution3D.class, DECONVOLUTION),
            Map.entry(DepthwiseConvolution2D.class, DEPTHWISE_CONVOLUTION),
            Map.entry(SeparableConvolution2D.class, SEPARABLE_CONVOLUTION),
            Map.entry(ConvolutionLayer.class, CONVOLUTION),
            Map.entry(BaseOutputLayer.class, OUTPUT),
            Map.entry(EmbeddingLayer.class, EMBEDDING),
            Map.entry(EmbeddingSequenceLayer.class, EMBEDDING),
            Map.entry(DenseLayer.class, DENSE),
            Map.entry(BaseRecurrentLayer.class, RECURRENT),
            Map.entry(BatchNormalization.class, NORMALIZATION),
            Map.entry(LocalResponseNormalization.class, NORMALIZATION),
            Map.entry(SelfAttentionLayer.class, ATTENTION),
            Map.entry(LearnedSelfAttentionLayer.class, ATTENTION),
            Map.entry(RecurrentAttentionLayer.class, ATTENTION));

    /** The kind of a layer configuration. */
    public static LayerKind of(Layer layer) {
        if (layer instanceof Bidirectional bidirectional) {
            return of(bidirectional.getFwd());
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return of(wrapper.getUnderlying());
        }
        for (Map.Entry<Class<? extends Layer>, LayerKind> e : BY_CLASS) {
            if (e.getKey().isInstance(layer)) {
                return e.getValue();
            }
        }
        return OTHER;
    }

    /** Whether this kind's weight is a 2-D matrix {@code [nIn, nOut]} (dense and output layers). */
    public boolean isDenseMatrix() {
        return this == DENSE || this == OUTPUT;
    }
}
