package org.lottery4j.prune;

import org.lottery4j.network.NetworkView;
import org.nd4j.linalg.dataset.DataSet;

/**
 * GraSP (Wang, Zhang and Grosse, 2020): importance = w x (Hg), with g = dL/dw and H the Hessian of
 * L, the network's own loss (mean over the batch) on a seeded batch of training examples.
 *
 * <p>The paper's score is S = -w x (Hg), and its code removes the weights of <b>highest</b> S (those
 * whose removal reduces the gradient flow least, or increases it); lottery4j removes the lowest
 * scores, so the score here is w x (Hg) = -S: the same weights go. Unlike the official code, the
 * logits are not divided by a temperature (it uses T = 200) and the batch is a seeded random draw,
 * not a fixed number of examples per class.
 *
 * <p>Hg is a central difference of gradients along g, in double precision on a copy of the
 * network (training mode, no dropout): {@code Hg = (grad L(w + eps g) - grad L(w - eps g)) / (2 eps)}
 * with {@code eps = 1e-5 x (1 + |w|) / |g|} (Euclidean norms over all parameters), a step of about
 * 1e-5 relative to the weights, near the cube root of double's epsilon that balances the
 * difference's truncation and rounding errors. The network itself is never changed.
 */
final class GraspPruning extends ScoredOnABatch {

    /** The step relative to the weights' norm. */
    static final double RELATIVE_STEP = 1e-5;

    GraspPruning(int batch, DataSet examples) {
        super("grasp", batch, examples);
    }

    @Override
    PruningMethod withBatch(DataSet chosen) {
        return new GraspPruning(batch, chosen);
    }

    @Override
    public PruningMethod prepare(NetworkView network) {
        DataSet b = examples();
        WorkingCopy copy = WorkingCopy.of(network);
        double[] w = copy.params();
        double[] hg = hessianTimesGradient(copy, w, b);
        double[] s = new double[w.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = w[i] * hg[i];
        }
        return new PrecomputedScores(describe(), copy.split(s));
    }

    /** Hg at {@code w} by a central difference of gradients; the copy's weights are {@code w} again after. */
    static double[] hessianTimesGradient(WorkingCopy copy, double[] w, DataSet batch) {
        double[] g = copy.gradient(batch);
        double gNorm = norm(g);
        double[] hg = new double[w.length];
        if (gNorm == 0) {
            return hg; // a zero gradient: Hg = 0
        }
        double eps = RELATIVE_STEP * (1 + norm(w)) / gNorm;
        double[] moved = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            moved[i] = w[i] + eps * g[i];
        }
        copy.setParams(moved);
        double[] plus = copy.gradient(batch);
        for (int i = 0; i < w.length; i++) {
            moved[i] = w[i] - eps * g[i];
        }
        copy.setParams(moved);
        double[] minus = copy.gradient(batch);
        copy.setParams(w);
        for (int i = 0; i < w.length; i++) {
            hg[i] = (plus[i] - minus[i]) / (2 * eps);
        }
        return hg;
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Override
    public String describe() {
        return "grasp(batch=" + batch + ")";
    }
}
