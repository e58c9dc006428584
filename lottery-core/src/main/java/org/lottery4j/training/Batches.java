package org.lottery4j.training;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a {@link TrainingLoop} trains on, one epoch at a time: the batches of an in-memory data set,
 * in an order each epoch chooses, optionally augmented. Each epoch's batches are cut natively into
 * buffers reused from one epoch to the next and prepared a couple of batches ahead on a background
 * thread (DL4J's {@code AsyncDataSetIterator}), which draws augmentation numbers in batch order,
 * so results are bit for bit those of preparing each batch when it trains.
 *
 * <pre>{@code
 * Batches.shuffled(train, 60, 42);                        // a new order each epoch, from seed 42 and the epoch
 * Batches.fullBatch(train);                               // every step trains on all examples
 * Batches.inOrder(train, 128, epoch -> new int[] {0, 2, 4, 6});   // your own order: examples by index
 * Batches.shuffled(train, 128, 7).augmented(cropFlip, new Random(7));
 * }</pre>
 */
public interface Batches {

    /** Batches prepared ahead of the one training. */
    int PREFETCH = 2;

    /**
     * The batches of {@code epoch} (from 0), at most {@code limit} of them. The loop closes it when
     * the epoch ends; its batches may be views of buffers the next epoch overwrites.
     */
    Epoch epoch(int epoch, long limit);

    /** Batches in one full epoch: what an epoch budget ({@code "8ep"}) counts. */
    long batchesPerEpoch();

    /** One epoch's batches, in training order. */
    interface Epoch extends Iterator<DataSet>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Batches of {@code batchSize} in a new order each epoch: a shuffle of the examples by
     * {@code new Random(seed * 31 + epoch)}, so an epoch's order depends on the seed and the epoch
     * alone (a resumed run sees the same batches). The last batch of an epoch may be smaller.
     */
    static Batches shuffled(DataSet data, int batchSize, long seed) {
        int n = data.numExamples();
        return inOrder(data, batchSize, epoch -> permutation(n, new Random(seed * 31 + epoch)));
    }

    /**
     * Batches of {@code batchSize} in the order {@code order} gives for each epoch (indices of
     * examples; they may repeat or leave some out). Called once per epoch, in epoch order.
     */
    static Batches inOrder(DataSet data, int batchSize, IntFunction<int[]> order) {
        return new OrderedBatches(data, batchSize, order, null, null);
    }

    /** One batch of every example, the same each epoch: full-batch training, one step per epoch. */
    static Batches fullBatch(DataSet data) {
        Objects.requireNonNull(data, "data");
        return new Batches() {
            @Override
            public Epoch epoch(int epoch, long limit) {
                return new Epoch() {
                    private boolean given = limit < 1;

                    @Override
                    public boolean hasNext() {
                        return !given;
                    }

                    @Override
                    public DataSet next() {
                        if (given) {
                            throw new NoSuchElementException();
                        }
                        given = true;
                        return data;
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public long batchesPerEpoch() {
                return 1;
            }
        };
    }

    /**
     * These batches with {@code augmentation} applied to each training batch's features, drawing
     * from {@code random} in batch order (one stream across epochs).
     *
     * @throws UnsupportedOperationException for batches that cannot be augmented ({@link #fullBatch})
     */
    default Batches augmented(BatchAugmentation augmentation, Random random) {
        throw new UnsupportedOperationException("these batches cannot be augmented; use shuffled or inOrder");
    }

    /**
     * A random permutation of {@code 0 .. n-1} (Fisher-Yates, drawing {@code random.nextInt} from
     * the end): the one shuffle every data order and split of lottery4j uses.
     */
    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
