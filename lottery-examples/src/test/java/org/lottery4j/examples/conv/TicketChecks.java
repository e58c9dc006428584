package org.lottery4j.examples.conv;

import static org.assertj.core.api.Assertions.assertThat;

import org.lottery4j.mask.Mask;
import org.lottery4j.network.NetworkView;
import org.lottery4j.network.ParamInfo;
import org.lottery4j.network.ParamKey;
import org.lottery4j.ticket.LotteryTicket;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** What the model tests check of a ticket: data to fit, and pruned weights that stay exactly zero. */
final class TicketChecks {

    private TicketChecks() {}

    /** {@code n} random images of {@code shape} (seeded) with labels 0..9 in turn. */
    static DataSet randomImages(ImageShape shape, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        float[] y = new float[n * 10];
        for (int i = 0; i < n; i++) {
            y[i * 10 + i % 10] = 1;
        }
        return new DataSet(Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, shape.size()),
                Nd4j.create(y, new long[] {n, 10}, 'c'));
    }

    /** Every masked weight of the ticket's network is 0.0 and every kept one is not; returns the weights pruned. */
    static long assertPrunedWeightsAreZero(LotteryTicket ticket) {
        NetworkView view = NetworkView.of(ticket.network());
        long pruned = 0;
        for (ParamKey key : ticket.masks().keys()) {
            ParamInfo p = view.param(key).orElseThrow();
            Mask mask = ticket.masks().get(key);
            float[] w = view.read(p);
            for (int i = 0; i < w.length; i++) {
                if (!mask.isKept(i)) {
                    assertThat(w[i]).as("%s[%d] is pruned", key, i).isEqualTo(0f);
                    pruned++;
                }
            }
        }
        return pruned;
    }
}
