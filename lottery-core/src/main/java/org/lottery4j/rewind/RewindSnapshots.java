package org.lottery4j.rewind;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies of a network's flat parameters at chosen iterations, recorded automatically while it
 * trains. Each iteration is recorded once, the first time training reaches it, so rounds that train
 * again after a rewind do not overwrite the weights of the first (dense) run.
 *
 * <pre>{@code
 * RewindSnapshots snapshots = RewindSnapshots.record(net, 0, 500);  // 0 = now, if not trained yet
 * net.fit(train);
 * INDArray late = snapshots.at(500).orElseThrow();
 * }</pre>
 */
public final class RewindSnapshots {

    private final Map<Integer, INDArray> snapshots = new TreeMap<>();
    private final Set<Integer> wanted = new TreeSet<>();
    private Recorder recorder;

    private RewindSnapshots() {}

    /**
     * Starts recording {@code network}'s parameters after each of these numbers of updates. Iteration 0
     * (initialization) is copied at once if the network has not trained yet.
     */
    public static RewindSnapshots record(Model network, int... iterations) {
        NetworkAdapter view = NetworkAdapter.of(network);
        RewindSnapshots s = new RewindSnapshots();
        for (int it : iterations) {
            if (it < 0) {
                throw new IllegalArgumentException("snapshot iteration must be >= 0, got " + it);
            }
            s.wanted.add(it);
        }
        if (s.wanted.contains(view.iterationCount())) {
            s.snapshots.put(view.iterationCount(), view.flatParams().dup());
        }
        if (!s.snapshots.keySet().containsAll(s.wanted)) { // rewinding to init needs no listener
            s.recorder = s.new Recorder();
            view.addListener(s.recorder);
        }
        return s;
    }

    /** Snapshots loaded from a file; nothing more is recorded. */
    public static RewindSnapshots of(Map<Integer, INDArray> snapshots) {
        RewindSnapshots s = new RewindSnapshots();
        snapshots.forEach((k, v) -> s.snapshots.put(k, v.dup()));
        return s;
    }

    /** Adds recording of more iterations to loaded snapshots. */
    public RewindSnapshots recordAlso(Model network, int iteration) {
        NetworkAdapter view = NetworkAdapter.of(network);
        if (!snapshots.containsKey(iteration)) {
            wanted.add(iteration);
            if (view.iterationCount() == iteration) {
                snapshots.put(iteration, view.flatParams().dup());
            }
            if (recorder == null && !snapshots.containsKey(iteration)) {
                recorder = new Recorder();
                view.addListener(recorder);
            }
        }
        return this;
    }

    /** The parameters after {@code iteration} updates, if recorded. */
    public Optional<INDArray> at(int iteration) {
        return Optional.ofNullable(snapshots.get(iteration));
    }

    /** Every snapshot, by iteration. */
    public Map<Integer, INDArray> asMap() {
        return Collections.unmodifiableMap(snapshots);
    }

    /** Stops recording. */
    public void detach(Model network) {
        if (recorder != null) {
            NetworkAdapter.of(network).removeListener(recorder);
            recorder = null;
        }
    }

    private final class Recorder extends BaseTrainingListener {
        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            int done = iteration + 1; // DL4J reports the count before incrementing it
            if (wanted.contains(done) && !snapshots.containsKey(done)) {
                snapshots.put(done, model.params().dup());
            }
        }
    }
}
