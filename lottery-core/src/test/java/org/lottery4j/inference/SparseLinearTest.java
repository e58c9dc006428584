package org.lottery4j.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SparseLinearTest {

    @Test
    void computesWhatDl4jComputesAtEverySparsityAndBatch() {
        int nIn = 37;
        int nOut = 23;
        for (double sparsity : new double[] {0, 0.5, 0.9, 1}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                    .list().layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.IDENTITY).build())
                    .build());
            net.init();
            INDArray w = net.getParam("0_W");
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < w.length(); i++) {
                if (random.nextDouble() < sparsity) {
                    w.putScalar(i, 0f);
                }
            }
            net.getParam("0_b").assign(Nd4j.rand(DataType.FLOAT, 1, nOut));
            // DL4J's W is [nIn, nOut], read row-major
            SparseLinear layer = SparseLinear.of(w.dup('c').data().asFloat(), nIn, nOut, net.getParam("0_b").data().asFloat());
            assertThat(layer.nonZeros()).isEqualTo(w.neq(0).castTo(DataType.INT).sumNumber().intValue());
            for (int batch : new int[] {1, 8, 64}) {
                INDArray x = Nd4j.randn(DataType.FLOAT, batch, nIn);
                float[] expected = net.output(x).dup('c').data().asFloat();
                float[] got = layer.apply(x.dup('c').data().asFloat(), batch);
                for (int k = 0; k < got.length; k++) {
                    assertThat(got[k]).as("sparsity %s batch %d [%d]", sparsity, batch, k).isCloseTo(expected[k],
                            org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void aBatchGivesEachRowTheBitsItGetsAlone() {
        float[] w = new float[12 * 5];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble() < 0.7 ? 0f : (float) random.nextGaussian();
        }
        for (int i = 0; i < 12; i++) {
            w[i * 5 + 2] = 0f; // output 2 lost every weight: its bias alone
        }
        SparseLinear layer = SparseLinear.of(w, 12, 5, new float[] {1, 2, 3, 4, 5});
        float[] x = new float[3 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] all = layer.apply(x, 3);
        for (int b = 0; b < 3; b++) {
            float[] alone = layer.apply(java.util.Arrays.copyOfRange(x, b * 12, b * 12 + 12), 1);
            assertThat(java.util.Arrays.copyOfRange(all, b * 5, b * 5 + 5)).containsExactly(alone);
            assertThat(alone[2]).isEqualTo(3f);
        }
    }

    @Test
    void badSizesAreNamed() {
        assertThatThrownBy(() -> SparseLinear.of(new float[6], 2, 4, new float[4]))
                .hasMessage("weights of length 6 and 4 biases do not make a 2 x 4 layer");
        SparseLinear layer = SparseLinear.of(new float[8], 2, 4, new float[4]);
        assertThatThrownBy(() -> layer.apply(new float[5], 2)).hasMessage("input of 5 values is not 2 x 2");
        assertThatThrownBy(() -> SparseLinear.of(new float[70_000], 70_000, 1, new float[1]))
                .hasMessage("70000 inputs do not fit 16-bit indices (at most 65536)");
    }
}
