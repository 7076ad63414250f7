package io.parametric.shared.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.lang.reflect.Type;

/**
 * The one configured Jackson mapper of the protocol. It never uses default typing: a payload
 * names no class that Jackson would load on its own.
 */
public final class Json {

    /** The shared mapper; thread-safe once configured. */
    public static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    .build();

    /**
     * Reads job arguments and captured values: no scalar coercion ("5" is not an int, 2.5 is not
     * a long, 5 is not a String), so a wrong argument type fails instead of being bent to fit.
     */
    private static final ObjectMapper STRICT = strict();

    private Json() {}

    private static ObjectMapper strict() {
        JsonMapper m = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * Converts a job argument (or captured value) to the declared parameter type, strictly: a
     * JSON value of another kind (a string for an int, a fraction for a long) fails.
     *
     * @param node the argument as JSON, possibly null
     * @param type the declared (generic) type
     * @return the value; null for a JSON null (a primitive type refuses it)
     * @throws IllegalArgumentException when the value does not convert, naming the type
     */
    public static Object convertArgument(JsonNode node, Type type) {
        boolean missing = node == null || node.isNull() || node.isMissingNode();
        if (missing) {
            if (type instanceof Class<?> c && c.isPrimitive()) {
                throw new IllegalArgumentException("null is not a " + c.getName());
            }
            return null;
        }
        try {
            return STRICT.readerFor(STRICT.getTypeFactory().constructType(type)).readValue(node);
        } catch (java.io.IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(
                    "JSON " + abbreviate(node.toString()) + " is not a " + type.getTypeName() + ": " + why, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /**
     * Writes a value as JSON.
     *
     * @param value anything Jackson can write
     * @return the JSON text
     * @throws IllegalArgumentException when the value cannot be written
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw cannotWrite(value, e);
        }
    }

    /**
     * Writes a value as JSON bytes, for a caller that sends or signs bytes.
     *
     * @param value anything Jackson can write
     * @return the JSON, UTF-8
     * @throws IllegalArgumentException when the value cannot be written
     */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw cannotWrite(value, e);
        }
    }

    private static IllegalArgumentException cannotWrite(Object value, JsonProcessingException e) {
        return new IllegalArgumentException(
                "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }

    /**
     * Reads JSON text as a type.
     *
     * @param json the text
     * @param type the type
     * @param <T> the type
     * @return the value
     * @throws IllegalArgumentException when the text is not JSON of that type
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not JSON of " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Converts a tree (or a natural value) to a Java type.
     *
     * @param node the JSON tree, possibly null
     * @param type the type
     * @param <T> the type
     * @return the value, null for a null or missing node
     * @throws IllegalArgumentException when the tree does not convert
     */
    public static <T> T convert(Object node, Class<T> type) {
        if (node == null || (node instanceof JsonNode n && n.isNull())) {
            return null;
        }
        return MAPPER.convertValue(node, type);
    }

    /**
     * Turns a value into a JSON tree.
     *
     * @param value any value
     * @return the tree
     */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
