package org.nd4j.nativeblas;

/**
 * A bridge for DL4J 1.0.0-M2.1's oneDNN layer helpers, which lottery-core's
 * {@code RuntimeSettings.enableOneDnnHelpers()} turns on when this class is on the classpath: the
 * whole of the opt-in {@code lottery-onednn} module. It lives in ND4J's package because DL4J looks
 * it up there by name; adding the module changes DL4J's behaviour for every network in the JVM
 * once the helpers are enabled, which is why lottery-core does not carry it. DL4J's
 * {@code BaseMKLDNNHelper.mklDnnEnabled()} asks, by reflection, for
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}; ND4J 1.0.0-M2.1
 * moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and renamed the
 * method {@code isUseONEDNN()}, so the lookup fails and no convolution or pooling layer ever gets
 * its helper (which runs libnd4j's {@code conv2d}/{@code maxpool2d} ops instead of DL4J's
 * im2col and gemm). With this class on the classpath the lookup succeeds and answers true: the
 * helpers run, once the system property {@code org.eclipse.deeplearning4j.helpers.disable} is
 * {@code false}, with oneDNN inside on the {@code -onednn} builds of {@code nd4j-native} and with
 * libnd4j's own (slower) kernels on the others. {@code Nd4j.getEnvironment().allowHelpers(false)}
 * still turns them off. The class exists only under this name in no ND4J jar of 1.0.0-M2.1.
 *
 * <pre>{@code
 * Nd4jCpu.Environment.getInstance().isUseMKLDNN();   // true: DL4J may create its helpers
 * }</pre>
 */
public final class Nd4jCpu {

    private Nd4jCpu() {}

    /** What DL4J's reflection asks for. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        /** The one instance, as ND4J's own {@code Environment.getInstance()}. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Always true: the helpers' ops exist in every build, with oneDNN or without. */
        public boolean isUseMKLDNN() {
            return true;
        }
    }
}
