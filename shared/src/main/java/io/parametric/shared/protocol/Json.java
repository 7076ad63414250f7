package io.parametric.shared.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

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

    private Json() {}

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
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
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
