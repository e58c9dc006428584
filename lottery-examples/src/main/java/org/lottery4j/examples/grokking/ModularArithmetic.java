package org.lottery4j.examples.grokking;

import java.util.Objects;
import java.util.Random;
import org.lottery4j.training.Batches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The grokking task: every pair {@code (a, b)} with {@code a, b} in {@code [0, p)}, labelled
 * {@code (a op b) mod p}, split at random (seeded) into a training fraction and a test set. An
 * example's features are one-hot {@code a} followed by one-hot {@code b} ({@code 2p} values);
 * its label is one-hot {@code (a op b) mod p}.
 *
 * <pre>{@code
 * ModularArithmetic task = new ModularArithmetic(97, ModularArithmetic.Operation.ADD, 0.3, 1);
 * ModularArithmetic.Split split = task.split();   // 2,823 training pairs, 6,586 test pairs
 * }</pre>
 *
 * @param p the modulus, a prime
 * @param operation {@code +}, {@code -} or {@code x}
 * @param trainFraction the fraction of the {@code p * p} pairs to train on, in (0, 1)
 * @param seed fixes which pairs are trained on
 */
public record ModularArithmetic(int p, Operation operation, double trainFraction, long seed) {

    /** The operation on {@code (a, b)}, modulo {@code p}. */
    public enum Operation {
        ADD("+"), SUBTRACT("-"), MULTIPLY("x");

        private final String symbol;

        Operation(String symbol) {
            this.symbol = symbol;
        }

        /** {@code +}, {@code -} or {@code x}, as the command line writes it. */
        public String symbol() {
            return symbol;
        }

        /** The operation written as {@code +}, {@code -} or {@code x} (or its name). */
        public static Operation parse(String text) {
            for (Operation op : values()) {
                if (op.symbol.equals(text) || op.name().equalsIgnoreCase(text)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("operation must be +, - or x, got '" + text + "'");
        }

        int apply(int a, int b, int p) {
            return switch (this) {
                case ADD -> (a + b) % p;
                case SUBTRACT -> Math.floorMod(a - b, p);
                case MULTIPLY -> (int) ((long) a * b % p);
            };
        }
    }

    /**
     * The training and test pairs.
     *
     * @param train the training examples
     * @param test the others
     * @param trainPairs index {@code a * p + b} of each training pair, in the order of {@code train}
     */
    public record Split(DataSet train, DataSet test, int[] trainPairs) {}

    public ModularArithmetic {
        Objects.requireNonNull(operation, "operation");
        if (p < 2 || p > 46_340 || !isPrime(p)) { // p * p must fit an int
            throw new IllegalArgumentException("p must be a prime from 2 to 46,337, got " + p);
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("the training fraction must be between 0 and 1 (exclusive), got "
                    + trainFraction);
        }
        int train = trainCount(p, trainFraction);
        if (train < 1 || train >= p * p) {
            throw new IllegalArgumentException("a training fraction of " + trainFraction + " of " + p * p
                    + " pairs leaves " + train + " to train on and " + (p * p - train) + " to test on; both need one");
        }
    }

    private static int trainCount(int p, double fraction) {
        return (int) Math.round(fraction * p * p);
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code (a op b) mod p}. */
    public int label(int a, int b) {
        return operation.apply(a, b, p);
    }

    /** The number of training pairs: {@code round(trainFraction * p * p)}. */
    public int trainCount() {
        return trainCount(p, trainFraction);
    }

    /** The split: a seeded permutation of all {@code p * p} pairs, the first {@link #trainCount()} to train on. */
    public Split split() {
        int n = p * p;
        int[] order = Batches.permutation(n, new Random(seed));
        int train = trainCount();
        int[] trainPairs = java.util.Arrays.copyOf(order, train);
        return new Split(examples(order, 0, train), examples(order, train, n), trainPairs);
    }

    private DataSet examples(int[] order, int from, int to) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, to - from, 2L * p);
        INDArray y = Nd4j.zeros(DataType.FLOAT, to - from, p);
        for (int i = from; i < to; i++) {
            int a = order[i] / p;
            int b = order[i] % p;
            x.putScalar(i - from, a, 1);
            x.putScalar(i - from, p + b, 1);
            y.putScalar(i - from, label(a, b), 1);
        }
        return new DataSet(x, y);
    }
}
