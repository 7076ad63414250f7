package io.parametric.manager;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.parametric.shared.ProcessError;
import io.parametric.shared.ProcessError.Reason;
import io.parametric.shared.protocol.Json;
import io.parametric.shared.protocol.Outcome;
import java.lang.reflect.Type;

/** Turns outcomes into returns or {@link ProcessError}s, the one place that decides how. */
final class Outcomes {

    private Outcomes() {}

    /**
     * @param outcome a job's outcome
     * @param type what to convert a return to ({@code Object}: Jackson's natural form)
     * @return the return
     * @throws ProcessError the failure, with job id, pid and the remote exception
     */
    static <T> T value(Outcome outcome, Type type) {
        if (!outcome.ok()) {
            throw error(outcome);
        }
        return convert(outcome.value(), type, outcome);
    }

    @SuppressWarnings("unchecked")
    static <T> T convert(JsonNode node, Type type, Outcome outcome) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            if (type == Object.class) {
                Object scalar = naturalScalar(node);
                // Else through text, as from Redis: the same natural form (5 is an Integer) for every kind of worker.
                return (T) (scalar != null ? scalar : Json.MAPPER.readValue(node.toString(), Object.class));
            }
            JavaType javaType = Json.MAPPER.getTypeFactory().constructType(type);
            return (T) Json.MAPPER.convertValue(node, javaType);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProcessError(Reason.BAD_PAYLOAD,
                    "the return of job " + outcome.jobId() + " on worker " + outcome.pid() + " (" + node
                            + ") does not convert to " + type.getTypeName() + "; ask for the type the job returns",
                    outcome.pid(), outcome.jobId(), null, null, e);
        }
    }

    /**
     * The natural form of a string, boolean or integer return, as reading its text gives it (5 is
     * an Integer whether the worker's node held an int or a long), without writing and parsing that
     * text; null for any other node, whose form the text decides.
     */
    private static Object naturalScalar(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return node.intValue();
            }
            return node.canConvertToLong() ? node.longValue() : node.bigIntegerValue();
        }
        return null;
    }

    /**
     * @param outcome a failed outcome
     * @return the error saying what failed, where, the likely cause and the fix
     */
    static ProcessError error(Outcome outcome) {
        Reason reason = reasonOf(outcome.reason());
        String where = "job " + outcome.jobId() + (outcome.pid() > 0 ? " on worker " + outcome.pid() : "");
        String message = switch (reason) {
            case JOB_FAILED -> where + " failed" + afterAttempts(outcome) + ": " + outcome.errorClass() + ": "
                    + outcome.message() + " (the worker's stack trace: remoteStackTrace())";
            case JOB_TIMEOUT -> where + " ran past its timeout and was interrupted: " + outcome.message()
                    + "; raise withTimeout(...) or make the job faster";
            case CANCELLED -> where + " was cancelled" + suffix(outcome.message());
            case WORKER_LOST -> where + " lost its worker" + suffix(outcome.message())
                    + "; a pinned job fails instead of moving — do not pin it, or keep the worker up";
            case POISON -> where + " was delivered too many times and went to the dead-letter list"
                    + suffix(outcome.message()) + "; it probably crashes or hangs its worker";
            case UNKNOWN_JOB_TYPE -> where + " asks for a job type the worker does not have" + suffix(outcome.message())
                    + "; register the type on the worker (JobRegistry.register or ServiceLoader)";
            // The worker's refusal already says what to change (its allowlist, a lambda's class, a JDK method).
            case NOT_ALLOWED -> where + " was refused by the worker" + suffix(outcome.message());
            case BAD_PAYLOAD -> where + " could not be read by the worker" + suffix(outcome.message())
                    + "; the worker must run the same code (classes, arguments) as the manager";
            default -> where + " failed (" + outcome.reason() + ")" + suffix(outcome.message());
        };
        return new ProcessError(reason, message, outcome.pid() > 0 ? outcome.pid() : null, outcome.jobId(),
                outcome.errorClass(), outcome.stackTrace(), null);
    }

    private static Reason reasonOf(String name) {
        try {
            return Reason.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Reason.JOB_FAILED;
        }
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    /** A job that ran more than once (retries, or a redelivery after its worker died) says how often. */
    private static String afterAttempts(Outcome outcome) {
        return outcome.attempt() > 1 ? " after " + outcome.attempt() + " attempts" : "";
    }
}
