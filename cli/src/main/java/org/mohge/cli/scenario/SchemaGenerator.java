package org.mohge.cli.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import org.mohge.costmodel.hardware.GpuCatalog;
import org.mohge.costmodel.hardware.GpuSpec;

/**
 * Derives the JSON Schema (draft 2020-12) of a file format from its spec records, so the schema
 * that editors use cannot drift from what the loader accepts: component names become properties,
 * {@code @JsonProperty(required = true)} becomes {@code required}, sealed families with
 * {@code @JsonSubTypes} become {@code oneOf} on their {@code type} key, enums list their values.
 */
public final class SchemaGenerator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SchemaGenerator() {
    }

    public static ObjectNode scenarioSchema() {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "scenario.schema.json");
        root.put("title", "MoHGE Explorer scenario");
        root.put("description", "A model on a cluster running a workload; generated from the spec records by "
                + "`mohge schema`.");
        root.setAll(schemaOf(ScenarioSpec.class));
        return root;
    }

    static ObjectNode schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            ObjectNode node = JSON.objectNode().put("type", "array");
            node.set("items", schemaOf(p.getActualTypeArguments()[0]));
            return node;
        }
        Class<?> c = (Class<?>) type;
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return JSON.objectNode().put("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (c == String.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (c.isEnum()) {
            ObjectNode node = JSON.objectNode().put("type", "string");
            ArrayNode values = node.putArray("enum");
            for (Field f : c.getFields()) {
                if (f.isEnumConstant()) {
                    JsonProperty p = f.getAnnotation(JsonProperty.class);
                    values.add(p != null ? p.value() : f.getName());
                }
            }
            return node;
        }
        if (c == GpuSpec.class) {
            ObjectNode node = JSON.objectNode();
            ArrayNode oneOf = node.putArray("oneOf");
            ObjectNode byName = JSON.objectNode().put("type", "string");
            ArrayNode names = byName.putArray("enum");
            GpuCatalog.names().forEach(names::add);
            oneOf.add(byName);
            oneOf.add(recordSchema(c, null));
            return node;
        }
        if (c.isInterface() && c.isSealed() && c.isAnnotationPresent(JsonSubTypes.class)) {
            String property = c.getAnnotation(JsonTypeInfo.class).property();
            ObjectNode node = JSON.objectNode();
            ArrayNode oneOf = node.putArray("oneOf");
            for (JsonSubTypes.Type sub : c.getAnnotation(JsonSubTypes.class).value()) {
                ObjectNode variant = recordSchema(sub.value(), property);
                ((ObjectNode) variant.get("properties")).set(property, JSON.objectNode().put("const", sub.name()));
                oneOf.add(variant);
            }
            return node;
        }
        if (c.isRecord()) {
            return recordSchema(c, null);
        }
        throw new IllegalArgumentException("no schema mapping for " + c);
    }

    private static ObjectNode recordSchema(Class<?> record, String typeProperty) {
        ObjectNode node = JSON.objectNode().put("type", "object");
        ObjectNode properties = JSON.objectNode();
        ArrayNode required = JSON.arrayNode();
        if (typeProperty != null) {
            required.add(typeProperty);
        }
        for (RecordComponent rc : record.getRecordComponents()) {
            properties.set(rc.getName(), schemaOf(rc.getGenericType()));
            // @JsonProperty has no RECORD_COMPONENT target: read it where javac propagates it, the accessor.
            JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
            if (p != null && p.required()) {
                required.add(rc.getName());
            }
        }
        node.set("properties", properties);
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        node.put("additionalProperties", false);
        return node;
    }
}
