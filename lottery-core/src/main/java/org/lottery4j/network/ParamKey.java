package org.lottery4j.network;

import java.util.Objects;

/**
 * Names one parameter array of a network: the layer's name and the parameter's name within the
 * layer, as DL4J calls them ({@code "W"} for weights, {@code "RW"} for LSTM recurrent weights).
 *
 * <pre>{@code
 * ParamKey key = ParamKey.of("layer0", "W");
 * Mask mask = masks.get(key);
 * }</pre>
 *
 * @param layer layer name ({@code layer0}, {@code layer1}, ... when a MultiLayerNetwork's layers
 *     are not named)
 * @param param parameter name within the layer
 */
public record ParamKey(String layer, String param) implements Comparable<ParamKey> {

    public ParamKey {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(param, "param");
    }

    public static ParamKey of(String layer, String param) {
        return new ParamKey(layer, param);
    }

    @Override
    public int compareTo(ParamKey o) {
        int c = layer.compareTo(o.layer);
        return c != 0 ? c : param.compareTo(o.param);
    }

    /** {@code layer/param}, as used in messages and files. */
    @Override
    public String toString() {
        return layer + "/" + param;
    }
}
