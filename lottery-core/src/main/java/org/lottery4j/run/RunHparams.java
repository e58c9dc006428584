package org.lottery4j.run;

import java.util.Map;

/**
 * Hyperparameters that describe one run: printed at its start, saved with its results and hashed
 * to name its folder, all through its {@link RunIdentity}. The experiment records of lottery4j
 * implement it, and so can the hyperparameters of a run of your own.
 *
 * <pre>{@code
 * record MyHparams(int width, long seed) implements RunHparams {
 *     public RunIdentity identity() {
 *         Map<String, String> f = new LinkedHashMap<>();
 *         f.put("my.width", Integer.toString(width));
 *         f.put("my.seed", Long.toString(seed));
 *         return RunIdentity.of("My run", "my", f, Map.of("my.width", "64", "my.seed", "1"), Set.of());
 *     }
 * }
 * new MyHparams(128, 1).folderName();   // my_<hash of "my.width=128">
 * }</pre>
 */
public interface RunHparams {

    /** The run's fields, canonical form and folder. */
    RunIdentity identity();

    /** Every field, defaults included, in print order. */
    default Map<String, String> fields() {
        return identity().fields();
    }

    /** The fields that name the folder, sorted. */
    default Map<String, String> canonicalFields() {
        return identity().canonicalFields();
    }

    /** The sorted {@code key=value} lines that are hashed. */
    default String canonical() {
        return identity().canonical();
    }

    /** The first 10 hex digits of the SHA-256 of {@link #canonical()}. */
    default String hash() {
        return identity().hash();
    }

    /** The output folder's name: {@code <prefix>_<hash>}. */
    default String folderName() {
        return identity().folderName();
    }

    /** Every field, one per line, under the run's title and folder. */
    default String describe() {
        return identity().describe();
    }
}
