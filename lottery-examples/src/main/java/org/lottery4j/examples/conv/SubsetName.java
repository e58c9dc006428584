package org.lottery4j.examples.conv;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a dataset's name says that only its first images were used: {@code <base>-first<N>} for the
 * first N training images, then {@code -test<M>} for the first M test images. The name enters a
 * run's hash, so a subset is other data; a study file names a subset the same way.
 *
 * <pre>{@code
 * SubsetName.of("cifar10", 5000, 50000, 10000, 10000);        // "cifar10-first5000"
 * SubsetName s = SubsetName.parse("mnist-10k-first200-test100"); // base mnist-10k, 200, 100
 * }</pre>
 *
 * @param base the whole dataset's name, such as {@code cifar10} or {@code mnist-10k}
 * @param trainImages the training images used, {@link Integer#MAX_VALUE} for all
 * @param testImages the test images used, {@link Integer#MAX_VALUE} for all
 */
public record SubsetName(String base, int trainImages, int testImages) {

    private static final Pattern NAME = Pattern.compile("(.+?)(?:-first(\\d{1,9}))?(?:-test(\\d{1,9}))?");

    /** The name of {@code base} cut to its first {@code train} of {@code fullTrain} and {@code test} of {@code fullTest} images. */
    public static String of(String base, long train, long fullTrain, long test, long fullTest) {
        return base + (train < fullTrain ? "-first" + train : "") + (test < fullTest ? "-test" + test : "");
    }

    /**
     * The base name and counts of {@code name}; a name without a suffix is the whole dataset.
     *
     * @throws IllegalArgumentException if a count is 0
     */
    public static SubsetName parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("dataset.name '" + name + "' is empty");
        }
        int train = m.group(2) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        int test = m.group(3) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(3));
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("dataset.name '" + name + "': a subset holds at least 1 image");
        }
        return new SubsetName(m.group(1), train, test);
    }
}
