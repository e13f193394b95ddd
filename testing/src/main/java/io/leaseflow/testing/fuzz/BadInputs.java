package io.leaseflow.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Seeded generator of bad request bodies for one endpoint, derived from a valid example of its body: random JSON,
 * every field of the example with a value of each wrong type, fields dropped, deeply nested and oversized JSON,
 * invalid UTF-8, empty bodies and wrong content types. The same seed gives the same sequence, so a failure printed
 * with its seed and index can be replayed.
 */
public final class BadInputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WRONG_CONTENT_TYPES = { "text/plain", "application/xml", "text/html",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
            "application/json; charset=latin1", "image/png", "", "*/*" };

    private final Random random;
    private final JsonNode example;
    private final List<String> paths;
    private final int oversizeBytes;

    /**
     * @param example a valid body of the endpoint (its fields are what gets the wrong types)
     * @param oversizeBytes a body size over the endpoint's limit
     */
    public BadInputs(long seed, Object example, int oversizeBytes) {
        this.random = new Random(seed);
        this.example = JSON.valueToTree(example);
        this.paths = fieldPaths(this.example);
        this.oversizeBytes = oversizeBytes;
    }

    /** The next bad input; the mix favours typed mutations of the example, where parsers are most likely to slip. */
    public BadInput next() {
        int pick = random.nextInt(100);
        if (pick < 35) {
            return json("wrong-type", wrongType());
        }
        if (pick < 45) {
            return json("field-dropped", dropField());
        }
        if (pick < 60) {
            return json("random-json", randomValue(4));
        }
        if (pick < 66) {
            return new BadInput("deep-nesting", deeplyNested(random.nextBoolean() ? 10_000 : 1_000 + random.nextInt(2_000)),
                    "application/json");
        }
        if (pick < 69) {
            return new BadInput("oversize", oversize(), "application/json");
        }
        if (pick < 77) {
            return new BadInput("invalid-utf8", invalidUtf8(), "application/json");
        }
        if (pick < 82) {
            return new BadInput("empty", new byte[0], random.nextBoolean() ? "application/json" : "");
        }
        if (pick < 90) {
            return new BadInput("wrong-content-type", bytes(example),
                    WRONG_CONTENT_TYPES[random.nextInt(WRONG_CONTENT_TYPES.length)]);
        }
        return new BadInput("random-bytes", randomBytes(1 + random.nextInt(512)), "application/json");
    }

    /** A random JSON value: scalars, strings with control and astral characters, arrays and objects. */
    public JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth <= 0 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextBoolean() ? random.nextDouble() * 1e300 : -random.nextDouble());
            case 4 -> NODES.numberNode(new java.math.BigInteger(200, random));
            case 5 -> NODES.textNode(randomString());
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomValue(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(random.nextBoolean() && !paths.isEmpty() ? leaf(paths.get(random.nextInt(paths.size())))
                            : randomString(), randomValue(depth - 1));
                }
                yield object;
            }
        };
    }

    /** {@code [[[...]]]} or {@code {"a":{"a":...}}} nested {@code depth} levels (unterminated half the time). */
    public byte[] deeplyNested(int depth) {
        boolean arrays = random.nextBoolean();
        StringBuilder text = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            text.append(arrays ? "[" : "{\"a\":");
        }
        text.append("1");
        if (random.nextInt(4) != 0) {
            for (int i = 0; i < depth; i++) {
                text.append(arrays ? "]" : "}");
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The example with one string value blown up past the size limit: valid JSON, just too big. */
    public byte[] oversize() {
        ObjectNode copy = example.isObject() ? ((ObjectNode) example.deepCopy()) : NODES.objectNode();
        copy.put("padding", "x".repeat(oversizeBytes));
        return bytes(copy);
    }

    public byte[] invalidUtf8() {
        byte[] valid = bytes(example);
        byte[][] bad = { { (byte) 0xC3, (byte) 0x28 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                { (byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28 }, { (byte) 0xC0, (byte) 0xAF } };
        byte[] insert = bad[random.nextInt(bad.length)];
        // Inside a string value when there is one, so that only the encoding is wrong.
        String text = new String(valid, StandardCharsets.UTF_8);
        int at = text.indexOf("\":\"");
        int pos = at < 0 ? random.nextInt(valid.length + 1) : at + 3;
        byte[] out = new byte[valid.length + insert.length];
        System.arraycopy(valid, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(valid, pos, out, pos + insert.length, valid.length - pos);
        return out;
    }

    private JsonNode wrongType() {
        if (paths.isEmpty()) {
            return randomValue(2);
        }
        JsonNode copy = example.deepCopy();
        String path = paths.get(random.nextInt(paths.size()));
        JsonNode current = at(copy, path);
        JsonNode replacement;
        do {
            replacement = switch (random.nextInt(7)) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.booleanNode(random.nextBoolean());
                case 2 -> NODES.numberNode(random.nextInt(5) == 0 ? Long.MIN_VALUE : random.nextInt(2_000_000) - 1_000_000);
                case 3 -> NODES.textNode(randomString());
                case 4 -> NODES.arrayNode().add(randomString());
                case 5 -> NODES.objectNode().put("x", random.nextInt());
                default -> NODES.numberNode(random.nextDouble());
            };
        } while (current != null && replacement.getNodeType() == current.getNodeType() && !replacement.isTextual());
        set(copy, path, replacement);
        return copy;
    }

    private JsonNode dropField() {
        if (paths.isEmpty()) {
            return NODES.objectNode();
        }
        JsonNode copy = example.deepCopy();
        String path = paths.get(random.nextInt(paths.size()));
        int dot = path.lastIndexOf('/');
        JsonNode parent = dot <= 0 ? copy : at(copy, path.substring(0, dot));
        if (parent instanceof ObjectNode object) {
            object.remove(leaf(path));
        }
        return copy;
    }

    private String randomString() {
        String[] specials = { "", " ", "\u0000", "\n", "\"", "\\", "'; drop table x; --", "../../etc/passwd",
                "\uD83D\uDE00", "\u202E", "%00", "${jndi:ldap://x}", "null", "-1", "1e999", "<script>" };
        if (random.nextInt(3) == 0) {
            return specials[random.nextInt(specials.length)];
        }
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> random.nextInt(0x20);
                case 2 -> 0xA0 + random.nextInt(0x2000);
                default -> 0x1F600 + random.nextInt(0x50);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static BadInput json(String kind, JsonNode node) {
        return new BadInput(kind, bytes(node), "application/json");
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON-pointer paths of every field (and array element) of the example. */
    private static List<String> fieldPaths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String path = prefix + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                out.add(path);
                collect(field.getValue(), path, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String path = prefix + "/" + i;
                out.add(path);
                collect(node.get(i), path, out);
            }
        }
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root.at(path);
        return node.isMissingNode() ? null : node;
    }

    private static void set(JsonNode root, String path, JsonNode value) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = slash <= 0 ? root : root.at(path.substring(0, slash));
        String leaf = leaf(path);
        if (parent instanceof ObjectNode object) {
            object.set(leaf, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(leaf), value);
        }
    }
}
