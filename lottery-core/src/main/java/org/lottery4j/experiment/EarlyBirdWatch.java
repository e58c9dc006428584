package org.lottery4j.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lottery4j.hparams.PruningSchedule;
import org.lottery4j.mask.MaskSet;
import org.lottery4j.network.NetworkView;
import org.lottery4j.prune.PruningStrategy;
import org.lottery4j.results.EarlyBirdDraw;
import org.lottery4j.ticket.LotteryTicket;

/**
 * Watches the dense round for early-bird tickets (You et al., 2020). Every {@code every}
 * iterations it draws, from the live weights, the masks of each pruned round (round r: r steps of
 * the round's pruning fraction from the dense masks, the counts of iterative pruning's round r),
 * and measures the normalized Hamming distance of each to the one drawn before. When the last
 * {@code window} distances of a round are all at most {@code distance}, the dense network is saved
 * as that round's early-bird ticket ({@code round-00/early-bird-03.zip}); later draws of it stop.
 * Draws start once the rewind iteration is reached, so the ticket holds the weights it rewinds to.
 */
final class EarlyBirdWatch {

    private final PruningSchedule.EarlyBird settings;
    private final double fraction;
    private final long every;
    private final long notBefore;
    private final Path folder;
    private final MaskSet[] previous;
    private final List<List<Double>> distances = new ArrayList<>();
    private final EarlyBirdDraw[] drawn;

    /**
     * @param every the settings' {@code every} in iterations
     * @param notBefore the first iteration masks may be drawn at (the rewind iteration)
     * @param folder the dense round's folder, where early-bird tickets are saved
     */
    EarlyBirdWatch(PruningSchedule.EarlyBird settings, double fraction, int rounds, long every, long notBefore,
            Path folder) {
        this.settings = settings;
        this.fraction = fraction;
        this.every = every;
        this.notBefore = notBefore;
        this.folder = folder;
        this.previous = new MaskSet[rounds + 1];
        this.drawn = new EarlyBirdDraw[rounds + 1];
        for (int r = 0; r <= rounds; r++) {
            distances.add(new ArrayList<>());
        }
    }

    /** The file of round {@code round}'s early-bird ticket in the dense round's folder. */
    static Path ticketFile(Path roundZeroFolder, int round) {
        return roundZeroFolder.resolve(String.format("early-bird-%02d.zip", round));
    }

    /** After a dense training step: draws the masks if due, and saves the rounds whose masks settled. */
    void afterStep(LotteryTicket dense, long iteration) {
        if (iteration % every != 0 || iteration < notBefore || allDrawn()) {
            return;
        }
        NetworkView view = dense.view();
        PruningStrategy strategy = dense.strategy();
        MaskSet masks = dense.masks();
        for (int r = 1; r < drawn.length; r++) {
            masks = strategy.prune(view, masks, fraction).masks(); // round r's from round r-1's, as iterative pruning counts
            if (drawn[r] != null) {
                continue;
            }
            List<Double> d = distances.get(r);
            if (previous[r] != null) {
                d.add(previous[r].distance(masks));
            }
            previous[r] = masks;
            if (settled(d)) {
                try {
                    dense.save(ticketFile(folder, r));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                drawn[r] = new EarlyBirdDraw(r, iteration, true, d);
            }
        }
    }

    private boolean settled(List<Double> d) {
        if (d.size() < settings.window()) {
            return false;
        }
        for (double x : d.subList(d.size() - settings.window(), d.size())) {
            if (x > settings.distance()) {
                return false;
            }
        }
        return true;
    }

    private boolean allDrawn() {
        for (int r = 1; r < drawn.length; r++) {
            if (drawn[r] == null) {
                return false;
            }
        }
        return true;
    }

    /** Every round's draw, those that never settled drawn at the end of the dense training. */
    List<EarlyBirdDraw> draws(long denseIterations) {
        List<EarlyBirdDraw> out = new ArrayList<>();
        for (int r = 1; r < drawn.length; r++) {
            out.add(drawn[r] != null ? drawn[r] : new EarlyBirdDraw(r, denseIterations, false, distances.get(r)));
        }
        return out;
    }
}
