package io.leaseflow.launcher.template;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Rewrites a HOT template into a dormant one (§9.3): a {@code launched} condition, "the reservation parameter is not
 * empty", is added to {@code conditions}, and every resource and every output gets it. A resource or output that
 * already has a condition gets a new named condition {@code launched_<resource|output>_<name>} = {@code and:
 * [launched, <its condition>]}. Created with the parameter empty, the stack is CREATE_COMPLETE with nothing
 * allocated; a PATCH setting the parameter creates everything. Templates this cannot rewrite safely are refused.
 */
public final class DormantTemplate {
    public static final String CONDITION = "launched";
    /** HOT versions before newton have no {@code conditions} section. */
    private static final String FIRST_WITH_CONDITIONS = "2016-10-14";
    private static final Set<String> NAMED_VERSIONS = Set.of("newton", "ocata", "pike", "queens", "rocky", "wallaby");
    private static final ObjectMapper YAML = new YAMLMapper();

    private DormantTemplate() {
    }

    /** A template the rewrite cannot handle safely; the message says why, for the user. */
    public static class NotRewritable extends RuntimeException {
        public NotRewritable(String message) {
            super(message);
        }
    }

    /** The template as an object, whether it came as an object or as a YAML/JSON string. */
    public static ObjectNode parse(JsonNode template) {
        JsonNode parsed = template;
        if (template != null && template.isTextual()) {
            try {
                parsed = YAML.readTree(template.asText());
            } catch (Exception e) {
                throw new NotRewritable("the template is neither JSON nor YAML: " + e.getMessage().split("\n")[0]);
            }
        }
        if (parsed == null || !parsed.isObject()) {
            throw new NotRewritable("the template must be an object (or a YAML/JSON string of one)");
        }
        return (ObjectNode) parsed.deepCopy();
    }

    public static ObjectNode rewrite(JsonNode template, String parameter) {
        ObjectNode hot = parse(template);
        JsonNode version = hot.get("heat_template_version");
        if (version == null) {
            throw new NotRewritable("only HOT templates (heat_template_version) can be made dormant");
        }
        String v = version.asText();
        if (!(NAMED_VERSIONS.contains(v) || (v.matches("\\d{4}-\\d{2}-\\d{2}") && v.compareTo(FIRST_WITH_CONDITIONS) >= 0))) {
            throw new NotRewritable("heat_template_version " + v + " has no conditions; use " + FIRST_WITH_CONDITIONS
                    + " or later (or mode held)");
        }
        if (!hot.path("parameters").has(parameter)) {
            throw new NotRewritable("the template does not declare the parameter '" + parameter + "'");
        }
        ObjectNode conditions;
        JsonNode existing = hot.get("conditions");
        if (existing == null || existing.isNull()) {
            conditions = hot.putObject("conditions");
        } else if (existing.isObject()) {
            conditions = (ObjectNode) existing;
        } else {
            throw new NotRewritable("the template's conditions section is not a map");
        }
        ObjectNode launched = launchedCondition(parameter);
        if (conditions.has(CONDITION) && !conditions.get(CONDITION).equals(launched)) {
            throw new NotRewritable("the template already defines a different condition named '" + CONDITION + "'");
        }
        conditions.set(CONDITION, launched);
        conditionAll(hot, conditions, "resources", "resource");
        conditionAll(hot, conditions, "outputs", "output");
        return hot;
    }

    /** {@code {not: {equals: [{get_param: <parameter>}, ""]}}} */
    public static ObjectNode launchedCondition(String parameter) {
        ObjectNode condition = YAML.createObjectNode();
        ArrayNode equals = condition.putObject("not").putArray("equals");
        equals.addObject().put("get_param", parameter);
        equals.add("");
        return condition;
    }

    private static void conditionAll(ObjectNode hot, ObjectNode conditions, String section, String kind) {
        JsonNode entries = hot.get(section);
        if (entries == null || entries.isNull()) {
            return;
        }
        if (!entries.isObject()) {
            throw new NotRewritable("the template's " + section + " section is not a map");
        }
        Iterator<Map.Entry<String, JsonNode>> it = entries.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isObject()) {
                throw new NotRewritable(kind + " '" + entry.getKey() + "' is not a map");
            }
            ObjectNode definition = (ObjectNode) entry.getValue();
            JsonNode own = definition.get("condition");
            if (own == null || own.isNull() || CONDITION.equals(own.asText(null))) {
                definition.put("condition", CONDITION);
                continue;
            }
            String combined = CONDITION + "_" + kind + "_" + entry.getKey();
            if (conditions.has(combined)) {
                throw new NotRewritable("the template already defines a condition named '" + combined + "'");
            }
            ObjectNode and = conditions.putObject(combined);
            and.putArray("and").add(CONDITION).add(own.deepCopy());
            definition.put("condition", combined);
        }
    }
}
