package io.leaseflow.sim.heat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parts of a HOT template the simulator needs: declared parameters (for the PATCH/PUT rules of §9.3),
 * the description, and outputs with a tiny evaluator ({@code get_param}, {@code get_attr} of
 * {@code OS::Heat::Value} and {@code OS::Heat::RandomString}).
 */
public final class HeatTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Map<String, Object> raw;
    private final Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();

    private HeatTemplate(Map<String, Object> raw) {
        this.raw = raw;
        if (raw.get("parameters") instanceof Map<?, ?> declared) {
            declared.forEach((name, spec) -> parameters.put(String.valueOf(name),
                    spec instanceof Map<?, ?> m ? castMap(m) : Map.of()));
        }
    }

    /** {@code template} may be an object or a JSON or YAML string, as heatclient sends either. */
    @SuppressWarnings("unchecked")
    public static HeatTemplate parse(Object template) {
        if (template == null) {
            throw HeatFault.badRequest("HTTPBadRequest", "No template specified");
        }
        Object parsed = template;
        if (template instanceof String text) {
            try {
                parsed = text.trim().startsWith("{") ? JSON.readValue(text, Map.class) : YAML.readValue(text, Map.class);
            } catch (JsonProcessingException e) {
                throw HeatFault.badRequest("HTTPBadRequest", "Error parsing template: " + e.getOriginalMessage());
            }
        }
        if (!(parsed instanceof Map<?, ?> map) || !(map.containsKey("heat_template_version")
                || map.containsKey("HeatTemplateFormatVersion") || map.containsKey("AWSTemplateFormatVersion"))) {
            throw HeatFault.badRequest("HTTPBadRequest", "Template format version not found.");
        }
        return new HeatTemplate((Map<String, Object>) map);
    }

    public String description() {
        Object d = raw.get("description");
        return d == null ? "No description" : d.toString();
    }

    public boolean declares(String parameter) {
        return parameters.containsKey(parameter);
    }

    /** POST and PUT refuse parameters the template does not declare, and require those without default. */
    public void checkUserParameters(Map<String, Object> given) {
        for (String name : given.keySet()) {
            if (!declares(name)) {
                throw HeatFault.badRequest("UnknownUserParameter", "The Parameter (" + name + ") was not defined in template.");
            }
        }
        parameters.forEach((name, spec) -> {
            if (!spec.containsKey("default") && !given.containsKey(name)) {
                throw HeatFault.badRequest("UserParameterMissing", "The Parameter (" + name + ") was not provided.");
            }
        });
    }

    /** Declared parameters with user values over defaults, as Heat shows them: strings. */
    public Map<String, Object> resolvedParameters(Map<String, Object> given) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        parameters.forEach((name, spec) -> {
            Object value = given.containsKey(name) ? given.get(name) : spec.get("default");
            resolved.put(name, display(value));
        });
        return resolved;
    }

    /**
     * Output list as stack show renders it. {@code attribute} answers {@code get_attr}; null while the
     * resources do not exist (INIT_COMPLETE, or a create in progress).
     */
    public List<Map<String, Object>> outputs(Map<String, Object> parameterValues, Function<List<?>, Object> attribute) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        if (raw.get("outputs") instanceof Map<?, ?> declared) {
            declared.forEach((key, spec) -> {
                Map<?, ?> s = spec instanceof Map<?, ?> m ? m : Map.of();
                Map<String, Object> output = new LinkedHashMap<>();
                output.put("output_key", String.valueOf(key));
                output.put("description", s.get("description") == null ? "No description given" : s.get("description"));
                output.put("output_value", active("outputs", String.valueOf(key), parameterValues)
                        ? evaluate(s.get("value"), parameterValues, attribute) : null);
                outputs.add(output);
            });
        }
        return outputs;
    }

    /** Evaluates a property of a resource, for {@code OS::Heat::Value}. */
    Object resourceProperty(String resource, String property, Map<String, Object> parameterValues,
                            Function<List<?>, Object> attribute) {
        Map<?, ?> props = resourceProperties(resource);
        return evaluate(props.get(property), parameterValues, attribute);
    }

    String resourceType(String resource) {
        return raw.get("resources") instanceof Map<?, ?> rs && rs.get(resource) instanceof Map<?, ?> r
                ? String.valueOf(r.get("type")) : null;
    }

    Map<?, ?> resourceProperties(String resource) {
        return raw.get("resources") instanceof Map<?, ?> rs && rs.get(resource) instanceof Map<?, ?> r
                && r.get("properties") instanceof Map<?, ?> p ? p : Map.of();
    }

    private Object evaluate(Object expr, Map<String, Object> params, Function<List<?>, Object> attribute) {
        if (expr instanceof Map<?, ?> fn && fn.size() == 1) {
            Map.Entry<?, ?> call = fn.entrySet().iterator().next();
            if ("get_param".equals(call.getKey()) && call.getValue() instanceof List<?> path && !path.isEmpty()) {
                return paramPath(params, path.stream().map(p -> evaluate(p, params, attribute)).toList());
            }
            if ("get_param".equals(call.getKey())) {
                return params.get(String.valueOf(call.getValue()));
            }
            if ("get_attr".equals(call.getKey()) && call.getValue() instanceof List<?> args) {
                return attribute.apply(args);
            }
            if ("str_replace".equals(call.getKey()) && call.getValue() instanceof Map<?, ?> args) {
                return strReplace(evaluate(args.get("template"), params, attribute),
                        evaluate(args.get("params"), params, attribute));
            }
            if ("list_join".equals(call.getKey()) && call.getValue() instanceof List<?> args && args.size() == 2
                    && evaluate(args.get(1), params, attribute) instanceof List<?> parts) {
                return String.join(String.valueOf(args.get(0)),
                        parts.stream().map(p -> String.valueOf(display(p))).toList());
            }
        }
        if (expr instanceof Map<?, ?> map) {
            Map<String, Object> evaluated = new LinkedHashMap<>();
            map.forEach((k, v) -> evaluated.put(String.valueOf(k), evaluate(v, params, attribute)));
            return evaluated;
        }
        if (expr instanceof List<?> list) {
            return list.stream().map(e -> evaluate(e, params, attribute)).toList();
        }
        return expr;
    }

    /**
     * {@code get_param: [name, key or index, ...]}: into a {@code json} or {@code comma_delimited_list} parameter
     * (values are kept as Heat shows them, strings, so they are parsed back here).
     */
    private Object paramPath(Map<String, Object> params, List<?> path) {
        String name = String.valueOf(path.get(0));
        Object value = params.get(name);
        String type = String.valueOf(parameters.getOrDefault(name, Map.of()).get("type")).toLowerCase();
        if (value instanceof String text && (type.equals("json") || type.equals("comma_delimited_list"))) {
            try {
                value = text.strip().startsWith("[") || text.strip().startsWith("{") ? JSON.readValue(text, Object.class)
                        : List.of(text.split(",", -1));
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        for (Object key : path.subList(1, path.size())) {
            if (value instanceof List<?> list) {
                int i = Integer.parseInt(String.valueOf(key).strip());
                value = i >= 0 && i < list.size() ? list.get(i) : null;
            } else if (value instanceof Map<?, ?> map) {
                value = map.get(String.valueOf(key));
            } else {
                return null;
            }
        }
        return value instanceof String s ? s.strip() : value;
    }

    /** Heat's {@code str_replace}: longer keys first, so that {@code $var} never eats {@code $var_2}. */
    private static Object strReplace(Object template, Object replacements) {
        String text = String.valueOf(display(template));
        if (replacements instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            entries.sort((a, b) -> String.valueOf(b.getKey()).length() - String.valueOf(a.getKey()).length());
            for (Map.Entry<?, ?> e : entries) {
                text = text.replace(String.valueOf(e.getKey()), String.valueOf(display(e.getValue())));
            }
        }
        return text;
    }

    /**
     * The servers Nova would be asked for under these parameter values: each existing {@code OS::Nova::Server},
     * and {@code count} members of each existing {@code OS::Heat::ResourceGroup} of servers ({@code %index%}
     * replaced in the member's properties, as Heat's default {@code index_var} is).
     */
    public List<ServerSpec> servers(String stackName, java.util.Collection<String> existing,
                                    Map<String, Object> parameterValues, Function<List<?>, Object> attribute) {
        List<ServerSpec> servers = new ArrayList<>();
        for (String resource : resourceNames()) {
            if (!existing.contains(resource)) {
                continue;
            }
            String type = resourceType(resource);
            if ("OS::Nova::Server".equals(type)) {
                Object props = evaluate(resourceProperties(resource), parameterValues, attribute);
                servers.add(server(resource, -1, stackName + "-" + resource, props));
            } else if ("OS::Heat::ResourceGroup".equals(type)) {
                Map<?, ?> props = resourceProperties(resource);
                if (!(props.get("resource_def") instanceof Map<?, ?> def) || !"OS::Nova::Server".equals(def.get("type"))) {
                    continue;
                }
                Object count = evaluate(props.get("count"), parameterValues, attribute);
                int n = count == null ? 1 : (int) Double.parseDouble(String.valueOf(display(count)));
                for (int i = 0; i < n; i++) {
                    // Heat replaces the index_var in the definition before resolving it: get_param may index by it.
                    Object memberProps = evaluate(withIndex(def.get("properties"), Integer.toString(i)),
                            parameterValues, attribute);
                    servers.add(server(resource, i, stackName + "-" + resource + "-" + i, memberProps));
                }
            }
        }
        return servers;
    }

    private static ServerSpec server(String resource, int index, String defaultName, Object properties) {
        Map<?, ?> props = properties instanceof Map<?, ?> m ? m : Map.of();
        Object name = props.get("name");
        Object userData = props.get("user_data");
        Object reservation = props.get("scheduler_hints") instanceof Map<?, ?> hints ? hints.get("reservation") : null;
        Object metadataUrl = props.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("os-collect-config") instanceof Map<?, ?> occ
                && occ.get("request") instanceof Map<?, ?> request ? request.get("metadata_url") : null;
        return new ServerSpec(resource, index,
                name == null || display(name).toString().isBlank() ? defaultName : display(name).toString(),
                userData == null ? "" : display(userData).toString(),
                reservation == null ? "" : display(reservation).toString(),
                metadataUrl == null ? "" : display(metadataUrl).toString());
    }

    private static Object withIndex(Object value, String index) {
        if (value instanceof String s) {
            return s.replace("%index%", index);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> replaced = new LinkedHashMap<>();
            map.forEach((k, v) -> replaced.put(String.valueOf(k), withIndex(v, index)));
            return replaced;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> withIndex(v, index)).toList();
        }
        return value;
    }

    /**
     * Whether a resource or output exists under these parameter values: its {@code condition} (a condition name,
     * a boolean, or an inline condition function) evaluated against the template's {@code conditions} section with
     * {@code equals}, {@code not}, {@code and}, {@code or} and {@code get_param} (HOT 2016-10-14 and later).
     */
    public boolean active(String section, String name, Map<String, Object> parameterValues) {
        if (!(raw.get(section) instanceof Map<?, ?> entries) || !(entries.get(name) instanceof Map<?, ?> entry)
                || !entry.containsKey("condition")) {
            return true;
        }
        return condition(entry.get("condition"), parameterValues, 0);
    }

    /** Heat refuses at create/validate a condition that names no entry of {@code conditions}. */
    public void checkConditions(Map<String, Object> given) {
        Map<String, Object> values = resolvedParameters(given);
        resourceNames().forEach(r -> active("resources", r, values));
        if (raw.get("outputs") instanceof Map<?, ?> outputs) {
            outputs.keySet().forEach(o -> active("outputs", String.valueOf(o), values));
        }
    }

    /** Names of the template's resources, in template order. */
    public List<String> resourceNames() {
        List<String> names = new ArrayList<>();
        if (raw.get("resources") instanceof Map<?, ?> rs) {
            rs.keySet().forEach(k -> names.add(String.valueOf(k)));
        }
        return names;
    }

    private boolean condition(Object expr, Map<String, Object> params, int depth) {
        if (depth > 32) {
            throw HeatFault.badRequest("StackValidationFailed", "Circular reference in conditions.");
        }
        if (expr instanceof Boolean b) {
            return b;
        }
        if (expr instanceof String name) {
            if ("true".equalsIgnoreCase(name) || "false".equalsIgnoreCase(name)) {
                return Boolean.parseBoolean(name);
            }
            if (!(raw.get("conditions") instanceof Map<?, ?> conditions) || !conditions.containsKey(name)) {
                throw HeatFault.badRequest("StackValidationFailed", "Invalid condition \"" + name + "\"");
            }
            return condition(conditions.get(name), params, depth + 1);
        }
        if (expr instanceof Map<?, ?> fn && fn.size() == 1) {
            Map.Entry<?, ?> call = fn.entrySet().iterator().next();
            Object args = call.getValue();
            switch (String.valueOf(call.getKey())) {
                case "not":
                    return !condition(args, params, depth + 1);
                case "and":
                    return args instanceof List<?> all && all.stream().allMatch(a -> condition(a, params, depth + 1));
                case "or":
                    return args instanceof List<?> any && any.stream().anyMatch(a -> condition(a, params, depth + 1));
                case "equals":
                    if (args instanceof List<?> pair && pair.size() == 2) {
                        return display(evaluate(pair.get(0), params, a -> null))
                                .equals(display(evaluate(pair.get(1), params, a -> null)));
                    }
                    break;
                default:
                    break;
            }
        }
        throw HeatFault.badRequest("StackValidationFailed", "Invalid condition: " + expr);
    }

    /** The {@code POST /validate} answer (lower-case keys, as in heat's api-ref sample). */
    public Map<String, Object> validation() {
        Map<String, Object> params = new LinkedHashMap<>();
        parameters.forEach((name, spec) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            if (spec.containsKey("default")) {
                p.put("default", spec.get("default"));
            }
            p.put("description", spec.get("description") == null ? "" : spec.get("description"));
            if (spec.get("label") != null) {
                p.put("label", spec.get("label"));
            }
            if (!spec.containsKey("default")) {
                p.put("required", true);
            }
            p.put("type", typeName(spec.get("type")));
            if (spec.get("constraints") != null) {
                p.put("constraints", spec.get("constraints"));
            }
            params.put(name, p);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Description", description());
        body.put("Parameters", params);
        body.put("ParameterGroups", raw.get("parameter_groups") instanceof List<?> g ? g : List.of());
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("event_sinks", List.of());
        environment.put("parameter_defaults", Map.of());
        environment.put("parameters", Map.of());
        environment.put("resource_registry", Map.of("resources", Map.of()));
        body.put("Environment", environment);
        return body;
    }

    private static String typeName(Object hotType) {
        String t = hotType == null ? "string" : hotType.toString().toLowerCase();
        return switch (t) {
            case "number" -> "Number";
            case "json" -> "Json";
            case "boolean" -> "Boolean";
            case "comma_delimited_list" -> "CommaDelimitedList";
            default -> "String";
        };
    }

    private static Object display(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return value.toString();
            }
        }
        return value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
