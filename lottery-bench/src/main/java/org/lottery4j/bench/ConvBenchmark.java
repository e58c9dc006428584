package org.lottery4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.lottery4j.examples.conv.ImageModel;
import org.lottery4j.examples.conv.ImageShape;
import org.lottery4j.examples.mnist.Mnist;
import org.lottery4j.examples.mnist.SmallConvNet;
import org.lottery4j.internal.Json;
import org.lottery4j.io.AtomicFiles;
import org.lottery4j.runtime.RuntimeSettings;
import org.lottery4j.training.Batches;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Where a convolutional training step's time goes on a CPU: the same convnet (Conv-2 of Frankle
 * and Carbin 2019, or the examples' small MNIST convnet) trained on the 8,000 bundled digits under
 * several configurations, each one setting away from a baseline (one ND4J thread, batch 60, NCHW,
 * workspaces on, no cache, ND4J's helpers allowed): two threads, batch 128, NHWC layers,
 * {@code WorkspaceMode.NONE}, {@code CacheMode.DEVICE}, helpers off. Each configuration has its own
 * network and trains blocks of {@code --steps} steps, the configurations taking turns block by
 * block (each taking every place in the rotation in turn) for {@code --rounds} rounds, so drift on
 * a shared machine hits all of them. Reports each configuration's median milliseconds per step,
 * the seconds of an 8,000-digit epoch that implies, and its ratio to the baseline, both per step
 * and per epoch (a larger batch takes fewer steps).
 *
 * <p>Helpers: DL4J 1.0.0-M2.1 creates its oneDNN layer helpers (which run libnd4j's
 * {@code conv2d} and pooling ops, with oneDNN inside on the {@code -onednn} builds) only when the
 * system property {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false} (pass
 * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false} to compare {@code base} with
 * {@code helpers_off}; the examples set it through {@code RuntimeSettings.enableOneDnnHelpers()}
 * on the oneDNN builds, this benchmark leaves it to the command line), and when a reflective check
 * finds a class that M2.1 renamed, which the lottery-onednn module's {@link org.nd4j.nativeblas.Nd4jCpu}
 * bridges. Each configuration's output lists the helpers its layers got.
 *
 * <p>ND4J's native build (the {@code nd4j-native} classifier) is fixed for a process; run this
 * once per classifier on its classpath to compare them ({@code conv-classifiers.sh}).
 *
 * <pre>{@code
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.ConvBenchmark --model conv2 --steps 5 --rounds 5 --json conv2.json
 * java -cp lottery-bench/target/lottery-bench.jar org.lottery4j.bench.ConvBenchmark --model convnet --arms base,threads2
 * }</pre>
 */
public final class ConvBenchmark {

    private static final int EPOCH_DIGITS = 8000;

    /**
     * One configuration of the network and ND4J.
     *
     * @param name its name in the output
     * @param threads ND4J's OpenMP and BLAS threads ({@link RuntimeSettings#threads(int)})
     * @param batch examples per step
     * @param format data layout of the convolution and pooling layers
     * @param workspaces DL4J's workspace mode, training and inference
     * @param cache DL4J's cache mode
     * @param helpers whether ND4J's platform helpers (oneDNN, where the build has it) may run
     */
    record Config(String name, int threads, int batch, CNN2DFormat format, WorkspaceMode workspaces,
                  CacheMode cache, boolean helpers) {}

    /** The baseline and the configurations one setting away from it, by name. */
    static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    static {
        Config base = new Config("base", 1, 60, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.NONE, true);
        for (Config c : List.of(base,
                new Config("threads2", 2, 60, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.NONE, true),
                new Config("batch128", 1, 128, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.NONE, true),
                new Config("nhwc", 1, 60, CNN2DFormat.NHWC, WorkspaceMode.ENABLED, CacheMode.NONE, true),
                new Config("workspaces_none", 1, 60, CNN2DFormat.NCHW, WorkspaceMode.NONE, CacheMode.NONE, true),
                new Config("cache_device", 1, 60, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.DEVICE, true),
                new Config("helpers_off", 1, 60, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.NONE, false),
                new Config("threads2_batch128", 2, 128, CNN2DFormat.NCHW, WorkspaceMode.ENABLED, CacheMode.NONE, true))) {
            CONFIGS.put(c.name(), c);
        }
    }

    private ConvBenchmark() {}

    public static void main(String[] args) throws IOException {
        RuntimeSettings.disableMemoryCheck(); // as the examples do, before ND4J loads
        String model = "conv2";
        int steps = 5;
        int rounds = 5;
        List<String> arms = new ArrayList<>(CONFIGS.keySet());
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--arms" -> arms = Arrays.asList(args[++i].split(","));
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --model conv2|convnet, --steps N, --rounds N, --arms A,B,..., --json FILE");
            }
        }
        if (!model.equals("conv2") && !model.equals("convnet")) {
            throw new IllegalArgumentException("--model must be conv2 or convnet, got '" + model + "'");
        }
        List<Config> configs = new ArrayList<>();
        for (String a : arms) {
            Config c = CONFIGS.get(a);
            if (c == null) {
                throw new IllegalArgumentException("unknown configuration '" + a + "' in --arms; known: " + CONFIGS.keySet());
            }
            configs.add(c);
        }
        Map<String, Object> result = run(model, configs, steps, rounds);
        String text = Json.writer().withDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, text);
        }
    }

    static Map<String, Object> run(String model, List<Config> configs, int steps, int rounds) throws IOException {
        Mnist mnist = Mnist.bundled();
        DataSet train = mnist.train();
        int[][] order = new int[1][]; // each round's order; the batches reuse their native buffers
        Map<Integer, Batches> bySize = new java.util.HashMap<>();
        MultiLayerNetwork[] nets = new MultiLayerNetwork[configs.size()];
        List<List<Double>> msPerStep = new ArrayList<>();
        for (int n = 0; n < nets.length; n++) {
            apply(configs.get(n));
            nets[n] = network(model, configs.get(n));
            msPerStep.add(new ArrayList<>());
        }
        int[] offsets = new int[nets.length]; // where each network is in its epoch's order
        for (int r = 0; r <= rounds; r++) { // round 0 warms up the JIT and the native caches
            order[0] = Batches.permutation(train.numExamples(), new Random(r));
            for (int k = 0; k < nets.length; k++) {
                int n = (k + r) % nets.length; // each configuration takes every place in the rotation in turn
                Config c = configs.get(n);
                apply(c);
                int first = offsets[n] % (train.numExamples() / c.batch() - steps); // first batch of this block
                offsets[n] += steps;
                List<DataSet> block = new ArrayList<>();
                Batches batches = bySize.computeIfAbsent(c.batch(), size -> Batches.inOrder(train, size, e -> order[0]));
                try (Batches.Epoch epoch = batches.epoch(0, first + steps)) {
                    for (int i = 0; i < first + steps; i++) {
                        DataSet b = epoch.next();
                        if (i >= first) {
                            block.add(b.copy()); // the batches are views of buffers the next gather overwrites
                        }
                    }
                }
                long t0 = System.nanoTime();
                for (DataSet b : block) {
                    nets[n].fit(b);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / steps;
                if (r > 0) {
                    msPerStep.get(n).add(ms);
                }
                System.err.printf(Locale.ROOT, "round %d %-18s %8.1f ms/step%n", r, c.name(), ms);
            }
        }
        apply(configs.get(0));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", model + " training steps on the 8000 bundled MNIST digits, Adam, configurations interleaved");
        out.put("steps_per_block", steps);
        out.put("rounds", rounds);
        out.put("environment", EpochBenchmark.environment());
        // which nd4j-native build (classifier) this process loaded: the path of libnd4jcpu names it
        out.put("native_libraries", new TreeSet<>(org.bytedeco.javacpp.Loader.getLoadedLibraries().values()));
        double baseStep = EpochBenchmark.median(msPerStep.get(0));
        double baseEpoch = epochSeconds(baseStep, configs.get(0).batch());
        Map<String, Object> arms = new LinkedHashMap<>();
        for (int n = 0; n < nets.length; n++) {
            Config c = configs.get(n);
            double step = EpochBenchmark.median(msPerStep.get(n));
            double epoch = epochSeconds(step, c.batch());
            Map<String, Object> arm = new LinkedHashMap<>();
            arm.put("config", c.toString());
            arm.put("helpers", helpers(nets[n]));
            arm.put("ms_per_step", msPerStep.get(n));
            arm.put("median_ms_per_step", step);
            arm.put("min_ms_per_step", EpochBenchmark.min(msPerStep.get(n)));
            arm.put("epoch_seconds", epoch);
            arm.put("step_over_" + configs.get(0).name(), step / baseStep);
            arm.put("epoch_over_" + configs.get(0).name(), epoch / baseEpoch);
            arms.put(c.name(), arm);
            System.err.printf(Locale.ROOT, "%-18s median %8.1f ms/step (min %8.1f)  epoch %6.2f s  epoch/%s %.3f%n",
                    c.name(), step, EpochBenchmark.min(msPerStep.get(n)), epoch, configs.get(0).name(), epoch / baseEpoch);
        }
        out.put("configurations", arms);
        return out;
    }

    /** Seconds of an epoch of 8,000 digits at {@code msPerStep} and {@code batch} digits a step. */
    static double epochSeconds(double msPerStep, int batch) {
        return msPerStep * Math.ceil((double) EPOCH_DIGITS / batch) / 1e3;
    }

    /** The process-wide settings of {@code c}: threads and helpers. */
    static void apply(Config c) {
        RuntimeSettings.threads(c.threads());
        Nd4j.getEnvironment().allowHelpers(c.helpers());
    }

    /** The model with the layout, workspace and cache modes of {@code c}, Adam as in the paper. */
    static MultiLayerNetwork network(String model, Config c) {
        MultiLayerNetwork proto = model.equals("conv2")
                ? (MultiLayerNetwork) ImageModel.CONV2.network(ImageShape.MNIST, 42)
                : SmallConvNet.network(42, new Adam(1.2e-3));
        MultiLayerConfiguration conf = proto.getLayerWiseConfigurations().clone();
        conf.setTrainingWorkspaceMode(c.workspaces());
        conf.setInferenceWorkspaceMode(c.workspaces());
        conf.setCacheMode(c.cache());
        for (int i = 0; i < conf.getConfs().size(); i++) {
            conf.getConf(i).setCacheMode(c.cache());
        }
        if (c.format() == CNN2DFormat.NHWC) {
            toNhwc(conf);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double rate = model.equals("conv2") ? 2e-4 : 1.2e-3;
        ImageModel.CONV2.paperTraining().toBuilder().learningRate(rate).build()
                .applyTo(net, EPOCH_DIGITS / c.batch());
        return net;
    }

    /**
     * Convolutions and poolings in NHWC. The digits have one channel, so a flat digit is already
     * NHWC; the flattening before the first dense layer then goes in height, width, channel order,
     * which permutes the meaning of that layer's weight rows (same count, other order).
     */
    static void toNhwc(MultiLayerConfiguration conf) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                conv.setCnn2dDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof SubsamplingLayer pool) {
                pool.setCnn2dDataFormat(CNN2DFormat.NHWC);
            }
        }
        for (Map.Entry<Integer, InputPreProcessor> e : conf.getInputPreProcessors().entrySet()) {
            if (e.getValue() instanceof FeedForwardToCnnPreProcessor p) {
                if (p.getNumChannels() != 1) {
                    throw new IllegalArgumentException("NHWC here needs one input channel, got " + p.getNumChannels());
                }
                e.setValue(new FlatToNhwc(p.getInputHeight(), p.getInputWidth()));
            } else if (e.getValue() instanceof CnnToFeedForwardPreProcessor p) {
                e.setValue(new CnnToFeedForwardPreProcessor(p.getInputHeight(), p.getInputWidth(), p.getNumChannels(),
                        CNN2DFormat.NHWC));
            }
        }
    }

    /** Names of the layer helpers (oneDNN) the network's layers run with, none if empty. */
    static List<String> helpers(MultiLayerNetwork net) {
        TreeSet<String> names = new TreeSet<>();
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            LayerHelper h = l.getHelper();
            if (h != null) {
                names.add(l.conf().getLayer().getLayerName() + ":" + h.getClass().getSimpleName());
            }
        }
        return new ArrayList<>(names);
    }

    /** Flat one-channel images {@code [n, h*w]} as NHWC {@code [n, h, w, 1]}: the same memory. */
    static final class FlatToNhwc implements InputPreProcessor {
        private final long height;
        private final long width;

        FlatToNhwc(long height, long width) {
            this.height = height;
            this.width = width;
        }

        @Override
        public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr mgr) {
            INDArray in = input.ordering() == 'c' && Nd4j.getStrides(input.shape(), 'c')[0] == input.stride(0)
                    ? input : mgr.dup(ArrayType.ACTIVATIONS, input, 'c');
            return mgr.leverageTo(ArrayType.ACTIVATIONS, in.reshape('c', in.size(0), height, width, 1));
        }

        @Override
        public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr mgr) {
            INDArray out = output.isView() || output.ordering() != 'c' ? mgr.dup(ArrayType.ACTIVATION_GRAD, output, 'c') : output;
            return mgr.leverageTo(ArrayType.ACTIVATION_GRAD, out.reshape('c', out.size(0), height * width));
        }

        @Override
        public FlatToNhwc clone() {
            return new FlatToNhwc(height, width);
        }

        @Override
        public InputType getOutputType(InputType inputType) {
            return InputType.convolutional(height, width, 1, CNN2DFormat.NHWC);
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState state, int miniBatchSize) {
            return new Pair<>(maskArray, state);
        }
    }
}
