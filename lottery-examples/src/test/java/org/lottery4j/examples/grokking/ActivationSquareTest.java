package org.lottery4j.examples.grokking;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ActivationSquareTest {

    @Test
    void squaresAndItsGradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(3);
        INDArray in = Nd4j.randn(DataType.DOUBLE, 4, 5);
        INDArray epsilon = Nd4j.randn(DataType.DOUBLE, 4, 5);
        ActivationSquare f = new ActivationSquare();
        INDArray out = f.getActivation(in.dup(), true);
        for (int i = 0; i < in.length(); i++) {
            assertThat(out.getDouble(i)).isEqualTo(in.getDouble(i) * in.getDouble(i));
        }
        INDArray grad = f.backprop(in.dup(), epsilon).getFirst();
        double h = 1e-6;
        for (int i = 0; i < in.length(); i++) {
            INDArray plus = in.dup();
            plus.putScalar(i, in.getDouble(i) + h);
            INDArray minus = in.dup();
            minus.putScalar(i, in.getDouble(i) - h);
            // L = sum(epsilon * f(in)): dL/din_i by central differences
            double numeric = (f.getActivation(plus, true).mul(epsilon).sumNumber().doubleValue()
                    - f.getActivation(minus, true).mul(epsilon).sumNumber().doubleValue()) / (2 * h);
            assertThat(grad.getDouble(i)).as("element %d", i).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void aNetworkWithItPassesDl4jsGradientCheckAndSurvivesJson() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).hasBias(false).activation(new ActivationSquare()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(3).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 6);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 8, 3);
        DataType dtype = Nd4j.dataType();
        DataType floating = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // the check insists; restored below
        try {
            assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)))
                    .as("DL4J's gradient check").isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(dtype, floating);
        }
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(((DenseLayer) back.getConf(0).getLayer()).getActivationFn()).isInstanceOf(ActivationSquare.class);
    }
}
