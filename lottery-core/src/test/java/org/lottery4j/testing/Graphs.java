package org.lottery4j.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small {@code ComputationGraph}s with the vertices of residual and multi-branch networks, for the export and sparse-model tests. */
public final class Graphs {

    private Graphs() {}

    /** {@code n} uniform random examples of {@code features} values, labelled round-robin over {@code classes}. */
    public static DataSet randomData(int n, long features, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, features);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return new DataSet(x, y);
    }

    /** Two branches from the input, every kind of vertex, zero padding and global pooling; {@code op} joins the branches. */
    public static ComputationGraph everyVertex(ElementWiseVertex.Op op, long seed) {
        ComputationGraph graph = everyVertexUntrained(op, seed);
        DataSet train = randomData(16, 7 * 9 * 2, 3, seed);
        for (int step = 0; step < 3; step++) {
            graph.fit(train); // batch norm's running statistics move away from 0 and 1
        }
        return graph;
    }

    public static ComputationGraph everyVertexUntrained(ElementWiseVertex.Op op, long seed) {
        ComputationGraphConfiguration conf = Nets.base(seed).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("pixels")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "pixels")
                .addLayer("a_bn", new BatchNormalization.Builder().build(), "a")
                .addLayer("a_relu", new ActivationLayer(Activation.RELU), "a_bn")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.TANH).build(), "pixels")
                .addVertex("join", new ElementWiseVertex(op), "a_relu", "b")
                .addVertex("merge", new MergeVertex(), "join", "a_relu", "b")
                .addVertex("scale", new ScaleVertex(0.5), "merge")
                .addVertex("shift", new ShiftVertex(0.25), "scale")
                .addLayer("pad", new ZeroPaddingLayer.Builder(1, 0, 2, 1).build(), "shift")
                .addLayer("c", new ConvolutionLayer.Builder(2, 2).nOut(3).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.RELU).build(), "pad")
                .addLayer("pad2", new ZeroPaddingLayer.Builder(2, 2, 0, 1).build(), "c")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "pad2")
                .addLayer("global", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "pool")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "global")
                .addVertex("both", new MergeVertex(), "dense", "global")
                // DL4J infers a subset's size wrongly on 4-D activations (negative channels): on features here
                .addVertex("subset", new SubsetVertex(2, 6), "both")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "subset")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(7, 9, 2))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }


    /**
     * Three convolutions of the input joined by {@code op}, then global pooling of {@code type}:
     * input [2, 5, 6], output 2 values (identity).
     */
    public static ComputationGraph threeInputs(ElementWiseVertex.Op op, PoolingType type) {
        ComputationGraph graph = new ComputationGraph(Nets.base(3).graphBuilder()
                .addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.SIGMOID).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("c3", new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.RELU).build(), "in")
                .addVertex("join", new ElementWiseVertex(op), "c1", "c2", "c3")
                .addLayer("global", new GlobalPoolingLayer.Builder(type).build(), "join")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build(), "global")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(5, 6, 2))
                .build());
        graph.init();
        return graph;
    }
}
