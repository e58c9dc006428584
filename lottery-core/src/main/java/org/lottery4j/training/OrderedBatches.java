package org.lottery4j.training;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

/** The batches of {@link Batches#inOrder}, cut by {@link ShuffledBatches} and prefetched. */
final class OrderedBatches implements Batches {
    private final DataSet data;
    private final int batchSize;
    private final IntFunction<int[]> order;
    private final BatchAugmentation augmentation;
    private final Random random;
    private ShuffledBatches buffers; // one pair of native buffers for every epoch

    OrderedBatches(DataSet data, int batchSize, IntFunction<int[]> order, BatchAugmentation augmentation,
            Random random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.data = Objects.requireNonNull(data, "data");
        this.batchSize = batchSize;
        this.order = Objects.requireNonNull(order, "order");
        this.augmentation = augmentation;
        this.random = random;
    }

    @Override
    public long batchesPerEpoch() {
        return (data.numExamples() + batchSize - 1) / batchSize;
    }

    @Override
    public Batches augmented(BatchAugmentation augmentation, Random random) {
        return new OrderedBatches(data, batchSize, order, Objects.requireNonNull(augmentation, "augmentation"),
                Objects.requireNonNull(random, "random"));
    }

    @Override
    public Epoch epoch(int epoch, long limit) {
        if (buffers == null) {
            buffers = new ShuffledBatches(data);
        }
        List<DataSet> batches = buffers.inOrder(order.apply(epoch), batchSize);
        // only the batches that train: none is augmented in vain
        batches = batches.subList(0, (int) Math.min(batches.size(), Math.max(0, limit)));
        ExistingDataSetIterator source = new ExistingDataSetIterator(batches);
        if (augmentation != null) {
            source.setPreProcessor(b -> b.setFeatures(augmentation.apply(b.getFeatures(), random)));
        }
        AsyncDataSetIterator prefetched = new AsyncDataSetIterator(source, PREFETCH, false);
        return new Epoch() {
            @Override
            public boolean hasNext() {
                return prefetched.hasNext();
            }

            @Override
            public DataSet next() {
                if (!prefetched.hasNext()) { // DL4J's iterator hands out its next batch only after hasNext()
                    throw new java.util.NoSuchElementException();
                }
                return prefetched.next();
            }

            @Override
            public void close() {
                prefetched.shutdown(); // before the next epoch overwrites the buffers these batches view
            }
        };
    }
}
