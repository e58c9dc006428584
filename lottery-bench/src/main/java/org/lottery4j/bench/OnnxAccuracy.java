package org.lottery4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.lottery4j.examples.mnist.Mnist;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The test accuracy of an exported {@code model.onnx} in ONNX Runtime (one thread, default graph
 * optimizations) on the bundled MNIST test digits, beside the accuracy its folder's
 * {@code results.json} reports ({@code fineTunedAccuracy} of {@code mnist-2to4}), if there is one:
 * a deployment check of an export, outside the JVM's own reading of it.
 *
 * <pre>
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.OnnxAccuracy out/2to4_resnet20_76d31ef7f2/model.onnx
 * </pre>
 */
public final class OnnxAccuracy {

    private OnnxAccuracy() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: OnnxAccuracy MODEL.onnx");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        DataSet test = Mnist.bundled().test();
        int n = test.numExamples();
        int[] truth = test.getLabels().argMax(1).toIntVector();
        float[] x = test.getFeatures().dup('c').data().asFloat();
        int features = x.length / n;
        int correct = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                for (int from = 0; from < n; from += 250) {
                    int rows = Math.min(250, n - from);
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, from * features, rows * features),
                            new long[] {rows, features});
                            OrtSession.Result r = session.run(Map.of("input", in))) {
                        float[][] out = (float[][]) r.get(0).getValue();
                        for (int b = 0; b < rows; b++) {
                            int best = 0;
                            for (int j = 1; j < out[b].length; j++) {
                                best = out[b][j] > out[b][best] ? j : best;
                            }
                            correct += best == truth[from + b] ? 1 : 0;
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: ONNX Runtime %s, test accuracy %.4f (%d of %d digits)%n", model,
                OrtEnvironment.getEnvironment().getVersion(), (double) correct / n, correct, n);
        Path results = model.toAbsolutePath().getParent().resolve("results.json");
        if (Files.exists(results)) {
            JsonNode r = new ObjectMapper().readTree(results.toFile());
            System.out.printf(Locale.ROOT, "%s reports %.4f%n", results, r.path("fineTunedAccuracy").asDouble());
        }
    }
}
