package org.lottery4j.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.lottery4j.internal.NetworkAdapter;
import org.lottery4j.testing.Graphs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Runs an exported model in ONNX Runtime (CPU, one thread) and compares it with DL4J. */
final class OnnxRuntime {

    private OnnxRuntime() {}

    /** The model's output for {@code input}, as a flat row-major array. */
    static float[] run(Path model, INDArray input) throws OrtException {
        return run(model, input, true);
    }

    /** The model's output for {@code input}, with or without ONNX Runtime's graph optimizations. */
    static float[] run(Path model, INDArray input, boolean optimize) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            if (!optimize) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            }
            try (OrtSession session = env.createSession(model.toString(), options);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat(input)), input.shape());
                    OrtSession.Result result = session.run(Map.of("input", x))) {
                FloatBuffer out = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
                float[] values = new float[out.remaining()];
                out.get(values);
                return values;
            }
        }
    }

    /**
     * Exports {@code net} to {@code file}, runs it in ONNX Runtime and DL4J on the same input and
     * returns the largest absolute difference of their outputs.
     */
    static double exportAndCompare(Model net, INDArray input, Path file) throws Exception {
        OnnxExporter.builder().build().export(net, file);
        float[] expected = flat(NetworkAdapter.of(net).output(input));
        float[] actual = run(file, input);
        double diff = maxAbsDiff(expected, actual);
        System.out.printf("%s: max abs difference ONNX Runtime vs DL4J = %.3g%n", file.getFileName(), diff);
        return diff;
    }

    /** {@code n} uniform random examples of {@code features} values, labelled round-robin over {@code classes}. */
    static DataSet randomData(int n, long features, int classes, long seed) {
        return Graphs.randomData(n, features, classes, seed);
    }

    /** An array's values in row-major order, whatever its rank. */
    static float[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    /** The largest absolute difference between two arrays of the same length. */
    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
