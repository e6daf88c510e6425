package org.mohge.cli.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mohge.costmodel.spec.SpecViolation;

/**
 * Turns Jackson's binding and parsing failures into the {@code json.path rule} text of
 * {@link StrictJson}'s one-line messages: the path from the document root, then what the value
 * must be and what it was.
 */
final class JsonErrorText {
    private JsonErrorText() {
    }

    /** The {@code json.path rule} part of the message. */
    static String explain(JsonProcessingException e) {
        if (e instanceof JsonParseException parse) {
            return "malformed JSON" + at(parse.getLocation()) + ": " + plain(firstLine(parse.getOriginalMessage()));
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return "malformed JSON" + at(e.getLocation()) + ": " + firstLine(e.getOriginalMessage());
        }
        String path = path(mapping.getPath());
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof SpecViolation violation) {
            return join(path, violation.field()) + " " + violation.rule();
        }
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof IllegalArgumentException iae) {
            return orRoot(path) + " " + firstLine(iae.getMessage());
        }
        if (e instanceof PropertyBindingException unknown) {
            return join(path, "") + " is not a known key" + known(unknown.getKnownPropertyIds());
        }
        if (e instanceof InvalidTypeIdException typeId) {
            String id = typeId.getTypeId();
            String allowed = subtypeNames(typeId.getBaseType() == null ? null : typeId.getBaseType().getRawClass());
            return id == null
                    ? join(path, "type") + " is required (one of " + allowed + ")"
                    : join(path, "type") + " must be one of " + allowed + ", got '" + id + "'";
        }
        if (e instanceof InvalidFormatException format) {
            return orRoot(path) + " must be " + typeName(format.getTargetType()) + ", got "
                    + quote(format.getValue());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String message = mismatch.getOriginalMessage();
            if (message != null && message.startsWith("Missing required creator property")) {
                String property = message.replaceFirst("^Missing required creator property '([^']*)'.*$", "$1");
                boolean pathNamesProperty = path.equals(property) || path.endsWith("." + property);
                return (pathNamesProperty ? path : join(path, property)) + " is required";
            }
            if (message != null && message.startsWith("Trailing token")) {
                return "malformed JSON: content after the end of the document";
            }
            if (e instanceof com.fasterxml.jackson.databind.exc.InvalidNullException
                    || (message != null && message.contains("Null value for creator property"))) {
                return orRoot(path) + " must not be null";
            }
            return orRoot(path) + " must be " + typeName(mismatch.getTargetType()) + ", got " + token(mismatch);
        }
        return orRoot(path) + " " + plain(firstLine(mapping.getOriginalMessage()));
    }

    private static final Pattern NON_STANDARD_TOKEN = Pattern.compile("^Non-standard token '([^']*)'.*");
    private static final Pattern OUT_OF_RANGE = Pattern.compile(
            "^Numeric value \\(([^)]*)\\) out of range of (int|long) \\((-?\\d+) - (\\d+)\\).*");

    /** Jackson's wording for two common mistakes, in the terms of a scenario file. */
    static String plain(String message) {
        if (message == null) {
            return "";
        }
        Matcher token = NON_STANDARD_TOKEN.matcher(message);
        if (token.matches()) {
            return "'" + token.group(1) + "' is not a JSON number; write a number";
        }
        Matcher range = OUT_OF_RANGE.matcher(message);
        if (range.matches()) {
            return "must be at most " + range.group(4) + ", got " + range.group(1);
        }
        return message;
    }

    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static String join(String path, String field) {
        if (field == null || field.isEmpty()) {
            return orRoot(path);
        }
        if (path.isEmpty() || field.startsWith("[")) {
            return path + field;
        }
        return path + "." + field;
    }

    static String orRoot(String path) {
        return path.isEmpty() ? "(document)" : path;
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        return " (allowed: " + new TreeSet<>(ids.stream().map(String::valueOf).toList()).stream()
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String subtypeNames(Class<?> base) {
        if (base == null) {
            return "?";
        }
        com.fasterxml.jackson.annotation.JsonSubTypes subTypes =
                base.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        if (subTypes == null) {
            return "?";
        }
        return java.util.Arrays.stream(subTypes.value()).map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
                .collect(Collectors.joining(", "));
    }

    static String typeName(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + enumNames(type);
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String enumNames(Class<?> type) {
        return java.util.Arrays.stream(type.getFields()).filter(java.lang.reflect.Field::isEnumConstant)
                .map(f -> {
                    com.fasterxml.jackson.annotation.JsonProperty p =
                            f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    return p != null ? p.value() : f.getName();
                })
                .collect(Collectors.joining(", "));
    }

    private static String token(MismatchedInputException e) {
        if (e.getProcessor() instanceof JsonParser parser) {
            JsonToken t = parser.currentToken();
            if (t != null) {
                return switch (t) {
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT -> "an integer";
                    case VALUE_NUMBER_FLOAT -> "a number with a fraction";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    case START_ARRAY, END_ARRAY -> "an array";
                    case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                    default -> t.asString() == null ? t.name() : t.asString();
                };
            }
        }
        return "a value of another type";
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int source = line.indexOf(" (for ");
        return source > 0 ? line.substring(0, source) : line;
    }
}
