package io.parametric.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parametric.shared.protocol.Json;

/** The JSON the commands print: every field present (null included, e.g. {@code runningJobId} of an idle worker), indented. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private JsonOutput() {}

    /**
     * @param value maps, lists, JSON trees and plain values
     * @return indented JSON text
     */
    static String write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
