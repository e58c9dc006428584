package org.lottery4j.ticket;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.lottery4j.internal.NetworkAdapter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network inside a ticket, written and read without Java serialization.
 *
 * <ul>
 *   <li>Version 2: {@code network/configuration.json} (DL4J's {@code toJson()}) and
 *       {@code network/params.bin} (the flat parameters, little-endian, FLOAT or DOUBLE).
 *   <li>Version 1: {@code network.zip}, a DL4J {@code ModelSerializer} zip. Its
 *       {@code ModelSerializer.restore*} would run {@code ObjectInputStream.readObject} on a
 *       {@code preprocessor.bin} entry, so the zip is parsed here: only {@code configuration.json}
 *       and {@code coefficients.bin} (ND4J's binary array format, read with {@code Nd4j.read},
 *       which reads numbers with {@code DataInputStream}, no Java serialization) are accepted,
 *       any other entry is refused by name.
 * </ul>
 *
 * Either way the configuration is read by {@link ConfigurationReader}, and the network
 * is built as {@code new MultiLayerNetwork(conf).init(params, false)}, which takes the parameters
 * as they are (no copy, no initialization).
 *
 * <pre>{@code
 * byte[] json = NetworkEntries.configuration(model);
 * byte[] raw = NetworkEntries.toBytes(model.params(), DataType.FLOAT);
 * INDArray params = NetworkEntries.fromBytes(raw, DataType.FLOAT, model.numParams(), file, "entry " + PARAMS);
 * Model again = NetworkEntries.build(file, "MultiLayerNetwork", json, CONFIGURATION, params);
 * }</pre>
 */
final class NetworkEntries {

    static final String CONFIGURATION = "network/configuration.json";
    static final String PARAMS = "network/params.bin";
    static final String V1_NETWORK = "network.zip";
    static final String V1_CONFIGURATION = "configuration.json";
    static final String V1_COEFFICIENTS = "coefficients.bin";

    /** A configuration JSON larger than this is refused (a deep ResNet's is well under 1 MiB). */
    static final int MAX_CONFIGURATION = 64 << 20;

    private static final String ND4J_MODE = "MIXED_DATA_TYPES"; // the allocation mode ND4J 1.0.0-M2.1 writes

    private NetworkEntries() {}

    /** The configuration JSON of a MultiLayerNetwork or ComputationGraph. */
    static byte[] configuration(NetworkAdapter network) {
        return network.configurationJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Flat values as little-endian raw FLOAT or DOUBLE. */
    static byte[] toBytes(INDArray flat, DataType dtype) {
        if (dtype == DataType.DOUBLE) {
            double[] v = flat.toDoubleVector();
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(v);
            return b.array();
        }
        float[] v = flat.toFloatVector();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /**
     * The {@code [1, n]} row vector {@link #toBytes} wrote; {@code what} names the entry in the
     * error when the byte count is not {@code n} values.
     */
    static INDArray fromBytes(byte[] bytes, DataType dtype, long n, Path file, String what) throws TicketFormatException {
        int width = dtype == DataType.DOUBLE ? 8 : 4;
        if (bytes.length != n * width) {
            throw new TicketFormatException(file, what + " has " + bytes.length + " bytes, expected " + n * width
                    + " for " + n + " " + dtype + " parameters");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        INDArray flat;
        if (width == 8) {
            double[] v = new double[(int) n];
            b.asDoubleBuffer().get(v);
            flat = Nd4j.createFromArray(v);
        } else {
            float[] v = new float[(int) n];
            b.asFloatBuffer().get(v);
            flat = Nd4j.createFromArray(v);
        }
        return flat.reshape(1, n);
    }

    /**
     * Builds the network of a version-1 ticket from its {@code network.zip}, reading nothing but
     * the configuration and the coefficients.
     */
    static Model readVersion1(byte[] networkZip, String networkType, DataType dtype, long numParams, Path file)
            throws TicketFormatException {
        Map<String, byte[]> found = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(networkZip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                long limit;
                if (name.equals(V1_CONFIGURATION)) {
                    limit = MAX_CONFIGURATION;
                } else if (name.equals(V1_COEFFICIENTS)) {
                    limit = 1024 + numParams * (dtype == DataType.DOUBLE ? 8 : 4); // header, then the values
                } else {
                    throw new TicketFormatException(file, "entry " + V1_NETWORK + " holds an entry " + name
                            + "; only " + V1_CONFIGURATION + " and " + V1_COEFFICIENTS + " are read, anything else "
                            + "is refused (DL4J would deserialize Java objects from it)");
                }
                // reading to the end of the entry makes ZipInputStream check its CRC-32 and size
                byte[] bytes = in.readNBytes((int) Math.min(limit + 1, TicketZip.MAX_ENTRY));
                if (bytes.length > limit) {
                    throw new TicketFormatException(file, "entry " + V1_NETWORK + "/" + name
                            + " holds more than the " + limit + " bytes it can have");
                }
                if (found.put(name, bytes) != null) {
                    throw new TicketFormatException(file, "entry " + V1_NETWORK + "/" + name + " appears twice");
                }
            }
        } catch (TicketFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TicketFormatException(file, "entry " + V1_NETWORK + " is not a readable DL4J model zip: "
                    + e.getMessage(), e);
        }
        for (String name : new String[] {V1_CONFIGURATION, V1_COEFFICIENTS}) {
            if (!found.containsKey(name)) {
                throw new TicketFormatException(file, "entry " + V1_NETWORK + " has no " + name);
            }
        }
        INDArray params = readCoefficients(found.get(V1_COEFFICIENTS), dtype, numParams, file);
        return build(file, networkType, found.get(V1_CONFIGURATION), V1_NETWORK + "/" + V1_CONFIGURATION, params);
    }

    /**
     * ND4J's binary array ({@code Nd4j.write}): a shape-information buffer, then the data buffer,
     * each as allocation mode (UTF), length (long), data type (UTF), big-endian values. The header
     * is checked to be exactly a row vector of {@code n} values of {@code dtype} filling the entry,
     * so that {@code Nd4j.read} allocates only what the entry holds and builds no strange view.
     */
    private static INDArray readCoefficients(byte[] bytes, DataType dtype, long n, Path file)
            throws TicketFormatException {
        String what = "entry " + V1_NETWORK + "/" + V1_COEFFICIENTS;
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            long shapeLength = header(in, DataType.LONG, file, what);
            if (shapeLength != 6 && shapeLength != 8) {
                throw new TicketFormatException(file, what + " holds an array of rank " + (shapeLength - 4) / 2
                        + ", expected the flat parameters (rank 1 or 2)");
            }
            long[] shapeInfo = new long[(int) shapeLength];
            for (int i = 0; i < shapeInfo.length; i++) {
                shapeInfo[i] = in.readLong();
            }
            int rank = (int) shapeInfo[0];
            long[] shape = Arrays.copyOfRange(shapeInfo, 1, 1 + rank);
            long[] stride = Arrays.copyOfRange(shapeInfo, 1 + rank, 1 + 2 * rank);
            boolean row = rank == 1 ? shape[0] == n && stride[0] == 1
                    : rank == 2 && shape[0] == 1 && shape[1] == n && stride[1] == 1 && stride[0] == n;
            if (shapeLength != 2L * rank + 4 || !row || shapeInfo[(int) shapeLength - 2] != 1
                    || shapeInfo[(int) shapeLength - 1] != 'c') {
                throw new TicketFormatException(file, what + " has shape information " + Arrays.toString(shapeInfo)
                        + ", expected a row vector of " + n + " values");
            }
            long length = header(in, dtype, file, what);
            int width = dtype == DataType.DOUBLE ? 8 : 4;
            if (length != n || in.available() != n * width) {
                throw new TicketFormatException(file, what + " holds " + length + " values in "
                        + in.available() + " bytes, expected " + n + " " + dtype + " parameters in " + n * width);
            }
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new TicketFormatException(file, what + " is truncated or corrupted: " + e, e);
        } catch (TicketFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail this way", e);
        }
        INDArray params;
        try {
            params = Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (RuntimeException e) {
            throw new TicketFormatException(file, what + " is not a readable ND4J array: " + e, e);
        }
        if (params.length() != n || params.dataType() != dtype) {
            throw new TicketFormatException(file, what + " holds " + params.length() + " " + params.dataType()
                    + " values, expected " + n + " " + dtype);
        }
        return params.reshape(1, n);
    }

    /** Reads one ND4J buffer header, checks its mode and type, returns its length. */
    private static long header(DataInputStream in, DataType type, Path file, String what) throws IOException {
        String mode = in.readUTF();
        long length = in.readLong();
        String dtype = in.readUTF();
        if (!mode.equals(ND4J_MODE) || !dtype.equals(type.name()) || length < 0) {
            throw new TicketFormatException(file, what + " has a buffer header (" + mode + ", " + length + ", " + dtype
                    + "), expected (" + ND4J_MODE + ", length, " + type + ")");
        }
        return length;
    }

    /**
     * Builds a {@code networkType} from its configuration JSON (read by {@link ConfigurationReader},
     * which refuses classes outside DL4J, ND4J and lottery4j) on the given parameters, which the
     * network then holds as they are.
     */
    static Model build(Path file, String networkType, byte[] json, String entry, INDArray params)
            throws TicketFormatException {
        DataType dtype = params.dataType();
        Model network;
        DataType configured;
        switch (networkType) {
            case "MultiLayerNetwork" -> {
                MultiLayerConfiguration conf = ConfigurationReader.multiLayer(json, file, entry);
                configured = conf.getDataType();
                network = construct(() -> new MultiLayerNetwork(conf), file, networkType, entry);
            }
            case "ComputationGraph" -> {
                ComputationGraphConfiguration conf = ConfigurationReader.graph(json, file, entry);
                configured = conf.getDataType();
                network = construct(() -> new ComputationGraph(conf), file, networkType, entry);
            }
            default -> throw new TicketFormatException(file, "unknown network type '" + networkType
                    + "', expected MultiLayerNetwork or ComputationGraph");
        }
        if (configured != dtype) {
            throw new TicketFormatException(file, "entry " + entry + " configures a " + configured
                    + " network, but its parameters are " + dtype);
        }
        try {
            // false: use the array as it is; DL4J checks its length against the configured layers
            // before it allocates anything for them
            if (network instanceof MultiLayerNetwork m) {
                m.init(params, false);
            } else {
                ((ComputationGraph) network).init(params, false);
            }
        } catch (RuntimeException e) {
            throw new TicketFormatException(file, "the network in entry " + entry + " does not fit its "
                    + params.length() + " parameters: " + e.getMessage(), e);
        }
        return network;
    }

    private static Model construct(java.util.function.Supplier<Model> constructor, Path file, String networkType,
            String entry) throws TicketFormatException {
        try {
            return constructor.get();
        } catch (RuntimeException e) {
            throw new TicketFormatException(file, "entry " + entry + " is not a usable " + networkType
                    + " configuration: " + e, e);
        }
    }
}
