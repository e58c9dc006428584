package org.lottery4j.ticket;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.lottery4j.internal.Utf8;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.BeanDescription;
import org.nd4j.shade.jackson.databind.DeserializationConfig;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.cfg.MapperConfig;
import org.nd4j.shade.jackson.databind.deser.BeanDeserializerModifier;
import org.nd4j.shade.jackson.databind.deser.ResolvableDeserializer;
import org.nd4j.shade.jackson.databind.deser.std.StdDeserializer;
import org.nd4j.shade.jackson.databind.jsontype.PolymorphicTypeValidator;
import org.nd4j.shade.jackson.databind.module.SimpleModule;
import org.nd4j.shade.jackson.databind.type.TypeFactory;
import org.nd4j.shade.jackson.databind.util.LRUMap;

/**
 * Reads a DL4J network configuration from a file that someone else may have written, with a copy of
 * DL4J's own (shaded) Jackson set up so that the parse itself refuses what a ticket may not hold:
 *
 * <ul>
 *   <li><b>Classes.</b> DL4J's configurations are polymorphic with {@code JsonTypeInfo.Id.CLASS}:
 *       a type id is a class name that Jackson loads (running its static initializer) and, for a
 *       subtype of the expected type, constructs. Here every class name Jackson resolves, in any
 *       form it accepts (an {@code "@class"} or {@code "type"} property, a wrapper array of any
 *       length and value type, a wrapper object, escaped keys, the type parameters of a generic
 *       type id), passes this mapper's {@link PolymorphicTypeValidator} and its {@link TypeFactory},
 *       which refuse a name outside {@code org.deeplearning4j.}, {@code org.nd4j.} (not ND4J's
 *       shaded copies of other libraries, {@code org.nd4j.shade.}) and {@code org.lottery4j.}
 *       before anything loads it. The check is the parser's own step, so it cannot read the text
 *       differently from the parse.
 *   <li><b>Duplicate keys</b> are refused (Jackson's strict duplicate detection), as are tokens after
 *       the configuration's object.
 *   <li><b>Legacy forms</b> that DL4J fills in from other fields (a layer without activation,
 *       weight initialization, updater, regularization or loss function, as configurations from
 *       before DL4J 1.0.0-beta were written) are refused: DL4J's own deserializer reads some of them
 *       with its global, unrestricted mapper. The rest of what that deserializer does for a current
 *       configuration, a batch-normalization layer's parameterization from its variables, is done
 *       here the same way.
 * </ul>
 *
 * DL4J's global mappers are left as they are: a user's own configurations, with their own layer
 * classes, still load through DL4J's {@code fromJson}.
 *
 * <pre>{@code
 * MultiLayerConfiguration conf = ConfigurationReader.multiLayer(jsonBytes, file, "network/configuration.json");
 * }</pre>
 */
final class ConfigurationReader {

    static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.lottery4j.");
    /** Third-party libraries ND4J ships shaded under its own name (Jackson, Guava, protobuf...). */
    static final String SHADED = "org.nd4j.shade.";

    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)+");

    /** The deepest nesting of a configuration: Jackson's own default limit in its later versions. */
    static final int MAX_NESTING = 1000;

    /** The class names refused during the current thread's parse, in order: the first is reported. */
    private static final ThreadLocal<List<String>> REFUSED = ThreadLocal.withInitial(ArrayList::new);

    private static final ObjectMapper MAPPER = mapper();

    private ConfigurationReader() {}

    /** A {@code MultiLayerNetwork}'s configuration. */
    static MultiLayerConfiguration multiLayer(byte[] json, Path file, String entry) throws TicketFormatException {
        return read(json, MultiLayerConfiguration.class, file, entry);
    }

    /** A {@code ComputationGraph}'s configuration. */
    static ComputationGraphConfiguration graph(byte[] json, Path file, String entry) throws TicketFormatException {
        return read(json, ComputationGraphConfiguration.class, file, entry);
    }

    /** Whether a type id may be resolved: a plain qualified name in the allowed packages. */
    static boolean allowed(String className) {
        return className != null && QUALIFIED_NAME.matcher(className).matches()
                && ALLOWED_PACKAGES.stream().anyMatch(className::startsWith) && !className.startsWith(SHADED);
    }

    private static <T> T read(byte[] json, Class<T> type, Path file, String entry) throws TicketFormatException {
        List<String> refused = REFUSED.get();
        refused.clear();
        String text;
        try {
            text = Utf8.decode(json); // the parser would guess UTF-16 or UTF-32 from the first bytes
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TicketFormatException(file, "entry " + entry + " is not UTF-8 text", e);
        }
        int depth = nesting(text);
        if (depth > MAX_NESTING) {
            // DL4J's Jackson has no limit of its own, and reads some subtrees recursively
            throw new TicketFormatException(file, "entry " + entry + " nests " + depth + " levels deep, more than the "
                    + MAX_NESTING + " a configuration may");
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            T conf = MAPPER.readValue(parser, type);
            if (conf == null) {
                throw new TicketFormatException(file, "entry " + entry + " is not a JSON object (it is null)");
            }
            // checked here, not with FAIL_ON_TRAILING_TOKENS: DL4J's deserializers read subtrees with
            // readTree(parser), which that feature would take for a whole document
            if (parser.nextToken() != null) {
                throw new TicketFormatException(file, "entry " + entry + " is not a readable " + type.getSimpleName()
                        + ": Trailing token (" + parser.currentToken() + ") after the configuration, at line "
                        + parser.getCurrentLocation().getLineNr() + ", column " + parser.getCurrentLocation().getColumnNr());
            }
            for (NeuralNetConfiguration layer : layers(conf)) {
                requireCurrentFormat(layer == null ? null : layer.getLayer(), file, entry);
            }
            return conf;
        } catch (TicketFormatException e) {
            throw e;
        } catch (JsonProcessingException | RuntimeException e) {
            if (!refused.isEmpty()) {
                throw new TicketFormatException(file, "entry " + entry + " names the class '" + refused.get(0) + "'"
                        + where(e) + "; a ticket may only name classes under " + String.join(", ", ALLOWED_PACKAGES)
                        + " except " + SHADED + " (refused before anything loaded it)", e);
            }
            String problem = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new TicketFormatException(file, "entry " + entry + " is not a readable "
                    + type.getSimpleName() + where(e) + ": " + firstLine(problem), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail this way", e);
        } finally {
            refused.clear();
        }
    }

    /** How deep the text's arrays and objects nest, strings skipped: one pass, no parse. */
    static int nesting(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++; // the escaped character, whatever it is
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    /** " at $.confs[0].layer (line 1, column 230)" from what Jackson knows of the position. */
    private static String where(Exception e) {
        if (!(e instanceof JsonProcessingException j)) {
            return "";
        }
        StringBuilder at = new StringBuilder();
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            at.append(" at $");
            for (JsonMappingException.Reference r : m.getPath()) {
                at.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
            }
        }
        if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            at.append(" (line ").append(j.getLocation().getLineNr()).append(", column ")
                    .append(j.getLocation().getColumnNr()).append(')');
        }
        return at.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /**
     * Refuses a layer that DL4J would complete from legacy fields: the fields a current configuration
     * always has, as DL4J's deserializers test for them.
     */
    private static void requireCurrentFormat(Layer layer, Path file, String entry) throws TicketFormatException {
        if (layer == null) {
            throw new TicketFormatException(file, "entry " + entry + " has a layer without configuration");
        }
        String missing = null;
        if (layer instanceof BaseLayer b) {
            missing = b.getActivationFn() == null ? "activation function (activationFn)"
                    : b.getWeightInitFn() == null ? "weight initialization (weightInitFn)"
                    : b.getRegularization() == null || b.getRegularizationBias() == null ? "regularization"
                    : b.getIUpdater() == null ? "updater (iupdater)" : null;
        }
        if (missing == null && layer instanceof BaseOutputLayer o && o.getLossFn() == null) {
            missing = "loss function (lossFn)";
        }
        if (missing != null) {
            throw new TicketFormatException(file, "entry " + entry + ": layer '" + layer.getLayerName() + "' ("
                    + layer.getClass().getSimpleName() + ") has no " + missing
                    + "; tickets hold configurations in DL4J's current format (not one from before 1.0.0-beta)");
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        // DL4J's JsonMappers.configureMapper for reading: newer DL4J versions may add fields
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        SimpleModule current = new SimpleModule("lottery4j-current-configurations");
        current.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                    JsonDeserializer<?> deserializer) {
                Class<?> type = bean.getBeanClass();
                return type == MultiLayerConfiguration.class || type == ComputationGraphConfiguration.class
                        ? new CurrentFormat<>(type, deserializer) : deserializer;
            }
        });
        m.registerModule(current);
        m.setPolymorphicTypeValidator(new AllowedPackages());
        m.setTypeFactory(new AllowedTypes());
        return m;
    }

    private static boolean check(String className) {
        if (allowed(className)) {
            return true;
        }
        REFUSED.get().add(className);
        return false;
    }

    /** The type ids a ticket may name, checked by name before Jackson loads the class. */
    private static final class AllowedPackages extends PolymorphicTypeValidator.Base {
        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            // Jackson passes a generic type id without its parameters: AllowedTypes checks those
            return check(subClassName) ? Validity.ALLOWED : Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return check(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
        }
    }

    /**
     * Every class Jackson finds by name (type ids, their type parameters, {@code Class} and
     * {@code JavaType} values) goes through {@code findClass} and {@code classForName}: here each
     * refuses a name outside the allowed packages before any class loader sees it.
     */
    private static final class AllowedTypes extends TypeFactory {
        private static final long serialVersionUID = 1L;

        AllowedTypes() {
            super(new LRUMap<>(16, 200));
        }

        @Override
        public Class<?> findClass(String className) throws ClassNotFoundException {
            refuse(className);
            return super.findClass(className);
        }

        @Override
        protected Class<?> classForName(String name, boolean initialize, ClassLoader loader)
                throws ClassNotFoundException {
            refuse(name);
            return super.classForName(name, initialize, loader);
        }

        @Override
        protected Class<?> classForName(String name) throws ClassNotFoundException {
            refuse(name);
            return super.classForName(name);
        }

        private static void refuse(String className) throws ClassNotFoundException {
            if (!check(className)) {
                throw new ClassNotFoundException(className + " is outside the packages a ticket may name");
            }
        }

        // Jackson would return a plain TypeFactory from these, without the check: never replace it
        @Override
        public TypeFactory withModifier(org.nd4j.shade.jackson.databind.type.TypeModifier mod) {
            throw new UnsupportedOperationException("the ticket reader's type factory is fixed");
        }

        @Override
        public TypeFactory withClassLoader(ClassLoader classLoader) {
            throw new UnsupportedOperationException("the ticket reader's type factory is fixed");
        }

        @Override
        public TypeFactory withCache(LRUMap<Object, JavaType> cache) {
            throw new UnsupportedOperationException("the ticket reader's type factory is fixed");
        }
    }

    /**
     * What DL4J's {@code MultiLayerConfigurationDeserializer} and
     * {@code ComputationGraphConfigurationDeserializer} do for a configuration in the current format:
     * the bean as Jackson reads it, then each batch-normalization layer parameterized as its
     * variables say. Their legacy branches, which read parts of the text again with DL4J's global
     * mapper, have no counterpart: {@link #requireCurrentFormat} refuses what would need them.
     */
    private static final class CurrentFormat<T> extends StdDeserializer<T> implements ResolvableDeserializer {
        private static final long serialVersionUID = 1L;
        private final JsonDeserializer<?> bean;

        CurrentFormat(Class<T> type, JsonDeserializer<?> bean) {
            super(type);
            this.bean = bean;
        }

        @Override
        public void resolve(DeserializationContext ctxt) throws JsonMappingException {
            if (bean instanceof ResolvableDeserializer r) {
                r.resolve(ctxt);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            T conf = (T) bean.deserialize(p, ctxt);
            if (layers(conf) == null) {
                throw JsonMappingException.from(p, "the configuration has no layers (confs, vertices)");
            }
            layers(conf).forEach(ConfigurationReader::batchNormFromVariables);
            return conf;
        }
    }

    /** The layers' configurations of either kind of network, or null when it has none listed. */
    private static List<NeuralNetConfiguration> layers(Object conf) {
        if (conf instanceof MultiLayerConfiguration m) {
            return m.getConfs();
        }
        Map<String, GraphVertex> vertices = ((ComputationGraphConfiguration) conf).getVertices();
        return vertices == null ? null : vertices.values().stream()
                .filter(v -> v instanceof LayerVertex).map(v -> ((LayerVertex) v).getLayerConf()).toList();
    }

    // As DL4J 1.0.0-M2.1's configuration deserializers: a batch-normalization layer stores its
    // variance as such or as log10 of the standard deviation, which its variables name.
    private static void batchNormFromVariables(NeuralNetConfiguration nnc) {
        if (nnc != null && nnc.getLayer() instanceof BatchNormalization bn && nnc.getVariables() != null) {
            bn.setUseLogStd(!nnc.getVariables().contains(BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
    }
}
