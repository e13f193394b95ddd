package io.leaseflow.sim.heat;

import io.leaseflow.sim.OpenStackTimes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Heat 19's stack views, keys in its order (samples/heat-real/02-*). */
public final class StackJson {

    private StackJson() {
    }

    public static String href(String base, Stack stack) {
        return base + "/orchestration/v1/" + stack.projectId + "/stacks/" + stack.name + "/" + stack.id;
    }

    static Map<String, Object> created(String base, Stack stack) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", stack.id);
        json.put("links", links(base, stack));
        return Map.of("stack", json);
    }

    public static Map<String, Object> show(String base, Stack stack) {
        synchronized (stack) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("stack_name", stack.name);
            json.put("id", stack.id);
            json.put("links", links(base, stack));
            json.put("creation_time", time(stack.creationTime));
            json.put("updated_time", time(stack.updatedTime));
            json.put("deletion_time", time(stack.deletionTime));
            json.put("notification_topics", List.of());
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("OS::stack_id", stack.id);
            parameters.put("OS::project_id", stack.projectId);
            parameters.put("OS::stack_name", stack.name);
            parameters.putAll(stack.template.resolvedParameters(stack.userParameters));
            json.put("parameters", parameters);
            json.put("description", stack.template.description());
            json.put("template_description", stack.template.description());
            json.put("capabilities", List.of());
            json.put("disable_rollback", stack.disableRollback);
            json.put("timeout_mins", stack.timeoutMins);
            json.put("stack_owner", stack.owner);
            json.put("parent", null);
            json.put("stack_user_project_id", stack.stackUserProjectId);
            json.put("tags", stack.tags);
            json.put("stack_status", stack.action + "_" + stack.status);
            json.put("stack_status_reason", stack.reason);
            Map<String, Object> applied = stack.appliedParameters == null
                    ? stack.template.resolvedParameters(stack.userParameters) : stack.appliedParameters;
            json.put("outputs", stack.template.outputs(applied, stack::attribute));
            return json;
        }
    }

    /** A list item: no parameters or outputs, an empty description, and null tags when there are none. */
    static Map<String, Object> listItem(String base, Stack stack) {
        synchronized (stack) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", stack.id);
            json.put("links", links(base, stack));
            json.put("stack_name", stack.name);
            json.put("description", "");
            json.put("stack_status", stack.action + "_" + stack.status);
            json.put("stack_status_reason", stack.reason);
            json.put("creation_time", time(stack.creationTime));
            json.put("updated_time", time(stack.updatedTime));
            json.put("deletion_time", time(stack.deletionTime));
            json.put("stack_owner", stack.owner);
            json.put("parent", null);
            json.put("stack_user_project_id", stack.stackUserProjectId);
            json.put("tags", stack.tags.isEmpty() ? null : stack.tags);
            return json;
        }
    }

    static Map<String, Object> output(String base, Stack stack, String key) {
        Map<String, Object> show = show(base, stack);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> outputs = (List<Map<String, Object>>) show.get("outputs");
        return outputs.stream().filter(o -> key.equals(o.get("output_key"))).findFirst()
                .map(o -> Map.<String, Object>of("output", o))
                .orElseThrow(() -> new HeatFault(404, "NotFound", "Specified output key " + key + " not found."));
    }

    /**
     * {@code GET .../resources}: the resources that exist; while the first create runs, the ones still to be made
     * show {@code INIT_COMPLETE} (samples/heat-real/04-resources-init-complete.json).
     */
    static List<Map<String, Object>> resources(String base, Stack stack) {
        synchronized (stack) {
            List<Map<String, Object>> list = new java.util.ArrayList<>();
            String stackHref = href(base, stack);
            if (stack.appliedParameters == null && "CREATE".equals(stack.action) && stack.inProgress()) {
                Map<String, Object> planned = stack.template.resolvedParameters(stack.userParameters);
                stack.template.resourceNames().stream().filter(r -> stack.template.active("resources", r, planned))
                        .forEach(r -> list.add(resource(stackHref, stack, r, stack.creationTime, "", "INIT_COMPLETE", "")));
            }
            stack.resources.forEach((r, created) -> list.add(resource(stackHref, stack, r, created,
                    stack.name + "-" + r + "-" + Integer.toHexString((stack.id + r).hashCode()), "CREATE_COMPLETE",
                    "state changed")));
            return list;
        }
    }

    private static Map<String, Object> resource(String stackHref, Stack stack, String name, java.time.Instant created,
                                                String physicalId, String status, String reason) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("updated_time", time(created));
        json.put("creation_time", time(created));
        json.put("logical_resource_id", name);
        json.put("resource_name", name);
        json.put("physical_resource_id", physicalId);
        json.put("resource_status", status);
        json.put("resource_status_reason", reason);
        json.put("resource_type", stack.template.resourceType(name));
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("href", stackHref + "/resources/" + name);
        self.put("rel", "self");
        Map<String, Object> up = new LinkedHashMap<>();
        up.put("href", stackHref);
        up.put("rel", "stack");
        json.put("links", List.of(self, up));
        json.put("required_by", List.of());
        return json;
    }

    private static List<Map<String, Object>> links(String base, Stack stack) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("href", href(base, stack));
        link.put("rel", "self");
        return List.of(link);
    }

    private static String time(java.time.Instant t) {
        return OpenStackTimes.format(t, OpenStackTimes.HEAT);
    }
}
