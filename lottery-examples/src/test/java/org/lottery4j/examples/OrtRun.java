package org.lottery4j.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs an exported ONNX model in ONNX Runtime (CPU, one thread), as a user deploying it would. */
public final class OrtRun {

    private OrtRun() {}

    /** The model's {@code output} for {@code x} given as its {@code input}, flat in row-major order. */
    public static float[] output(Path model, INDArray x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options);
                    OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.dup('c').reshape(-1).toFloatVector()),
                            x.shape());
                    OrtSession.Result result = session.run(Map.of("input", in))) {
                FloatBuffer out = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
                float[] values = new float[out.remaining()];
                out.get(values);
                return values;
            }
        }
    }
}
