package org.lottery4j.examples.grokking;

/**
 * The Fourier progress measures of a grokking network at one recorded step ({@link FourierProgress}).
 *
 * @param step the training step
 * @param concentration mean over the first layer's units of their strongest frequency's share of their power
 * @param dominantFrequencies how many distinct frequencies are some unit's strongest
 * @param topShare the share of the first layer's power in its 5 strongest frequencies
 * @param restrictedTestLoss the test loss of the outputs kept to the key frequencies (and their mean)
 * @param excludedTestLoss the test loss of the outputs stripped of the key frequencies' part
 * @param excludedTrainLoss the same on the training pairs, as Nanda et al. measure it
 * @param shares the first layer's power share of each frequency {@code 1 .. (p - 1) / 2}
 */
public record FourierPoint(long step, double concentration, int dominantFrequencies, double topShare,
        double restrictedTestLoss, double excludedTestLoss, double excludedTrainLoss, double[] shares) {}
