package io.leaseflow.sim.heat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Heat stack. Mutated only while holding its monitor. */
public class Stack {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    String id;
    String name;
    String projectId;
    String owner;
    String stackUserProjectId;
    HeatTemplate template;
    Map<String, Object> userParameters = new LinkedHashMap<>();
    /** Parameters the resources were last built with; null while no resource exists. */
    Map<String, Object> appliedParameters;
    String action;
    String status;
    String reason = "";
    Instant creationTime;
    Instant updatedTime;
    Instant deletionTime;
    Integer timeoutMins;
    boolean disableRollback = true;
    List<String> tags = List.of();
    boolean deleted;
    /** Bumped by every action; a completion only lands if no later action superseded it (convergence). */
    long generation;
    /** Set through the control API: the next action ends FAILED with this reason. */
    String failNextReason;
    final Map<String, String> randomStrings = new LinkedHashMap<>();
    /** Resources that exist, with their creation time: those whose condition held at the last completed action. */
    final Map<String, Instant> resources = new LinkedHashMap<>();

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public synchronized String stackStatus() {
        return action + "_" + status;
    }

    public synchronized void failNextAction(String reason) {
        failNextReason = reason;
    }

    synchronized boolean inProgress() {
        return "IN_PROGRESS".equals(status);
    }

    /** {@code get_attr} on the resources of this stack, as far as the simulator models them. */
    Object attribute(List<?> args) {
        if (appliedParameters == null || args.size() < 2) {
            return null;
        }
        String resource = String.valueOf(args.get(0));
        String attr = String.valueOf(args.get(1));
        if (!resources.containsKey(resource)) {
            return null;
        }
        String type = template.resourceType(resource);
        if ("OS::Heat::Value".equals(type) && "value".equals(attr)) {
            return template.resourceProperty(resource, "value", appliedParameters, this::attribute);
        }
        if ("OS::Heat::RandomString".equals(type) && "value".equals(attr)) {
            Object length = template.resourceProperties(resource).get("length");
            int n = length instanceof Number num ? num.intValue() : 32;
            return randomStrings.computeIfAbsent(resource, r -> randomString(n));
        }
        return null;
    }

    /** The servers that exist now (caller holds the monitor): none before the first completed create or update. */
    List<ServerSpec> servers() {
        if (appliedParameters == null || deleted) {
            return List.of();
        }
        return template.servers(name, resources.keySet(), appliedParameters, this::attribute);
    }

    /** Called when an action completes: conditioned-out resources are deleted, newly enabled ones created. */
    void rebuildResources(Instant now) {
        List<String> active = template.resourceNames().stream()
                .filter(r -> template.active("resources", r, appliedParameters)).toList();
        resources.keySet().retainAll(active);
        randomStrings.keySet().retainAll(active);
        active.forEach(r -> resources.putIfAbsent(r, now));
    }

    private static String randomString(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
