package io.leaseflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Real captures from {@code leaseflow-testing}'s {@code samples/} and helpers to compare shapes with them. */
public final class Samples {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Samples() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream("samples/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("No sample " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return MAPPER.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public static List<String> orderedKeys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(keys::add);
        return keys;
    }

    /** Same keys and, key by key, the same JSON node type (null in the sample matches anything). */
    public static void assertSameShape(JsonNode sample, JsonNode actual, String where) {
        org.junit.jupiter.api.Assertions.assertEquals(keys(sample), keys(actual), "keys of " + where);
        sample.fieldNames().forEachRemaining(k -> {
            JsonNode s = sample.get(k);
            JsonNode a = actual.get(k);
            if (!s.isNull() && !a.isNull()) {
                org.junit.jupiter.api.Assertions.assertEquals(s.getNodeType(), a.getNodeType(), "type of " + where + "." + k);
            }
        });
    }
}
