import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads rendered manifests into the operators' and Kubernetes' own Java models (Strimzi's api jar, fabric8's
 * kubernetes-model) and fails on a field the model does not know (a typo such as "livenesProbe" or a Strimzi field
 * in the wrong place), a value of the wrong type or an unknown enum value. Usage: java ModelCheck.java file.yaml...
 * Kinds without a model here (ServiceMonitor, PrometheusRule, CloudNativePG Cluster) are validated by validate.mjs.
 */
public class ModelCheck {
    static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("v1/ServiceAccount", "io.fabric8.kubernetes.api.model.ServiceAccount"),
            Map.entry("v1/Secret", "io.fabric8.kubernetes.api.model.Secret"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser"));
    static final List<String> SCHEMA_ONLY = List.of("monitoring.coreos.com/", "postgresql.cnpg.io/");

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new YAMLMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, false);
        List<String> errors = new ArrayList<>();
        int checked = 0;
        for (String file : args) {
            ObjectReader reader = mapper.readerFor(JsonNode.class);
            try (var docs = reader.readValues(new YAMLFactory().createParser(new File(file)))) {
                while (docs.hasNext()) {
                    JsonNode doc = (JsonNode) docs.next();
                    if (doc == null || doc.isNull() || doc.isMissingNode()) {
                        continue;
                    }
                    String gvk = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                    String where = file + ": " + gvk + " " + doc.path("metadata").path("name").asText();
                    String type = MODELS.get(gvk);
                    if (type == null) {
                        if (SCHEMA_ONLY.stream().noneMatch(gvk::startsWith)) {
                            errors.add(where + ": no model or schema known for this kind");
                        }
                        continue;
                    }
                    try {
                        Object model = mapper.treeToValue(doc, Class.forName(type));
                        walk(model, "", where, errors, new IdentityHashMap<>());
                        checked++;
                    } catch (Exception e) {
                        errors.add(where + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
                    }
                }
            }
        }
        errors.forEach(e -> System.out.println("INVALID " + e));
        System.out.println("model check: " + checked + " objects, " + errors.size() + " errors");
        System.exit(errors.isEmpty() ? 0 : 1);
    }

    /** Unknown fields land in the models' additionalProperties maps: any entry there is a field Kubernetes drops. */
    static void walk(Object o, String path, String where, List<String> errors, IdentityHashMap<Object, Boolean> seen)
            throws Exception {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", where, errors, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), where, errors, seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getReturnType().isPrimitive() || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (Exception e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    errors.add(where + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
                }
                continue;
            }
            String prop = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path + "." + prop, where, errors, seen);
        }
    }
}
