package io.leaseflow.sim.instances;

import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.heat.ServerSpec;
import io.leaseflow.sim.heat.StackSettled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Nova for the simulated Heat: when a stack action completes, the stack's servers that carry a Blazar reservation
 * hint get an instance each (new servers boot, servers gone are stopped); a deleted stack loses all of them.
 * Boots go through {@code sim.instances.boot-concurrency} slots: an agent holds its slot until it has reported,
 * then waits for its group without one, so 100 instances boot on 2 cores and none waits on another to finish.
 */
@ApplicationScoped
public class InstanceFleet {

    private static final Logger LOG = Logger.getLogger(InstanceFleet.class);

    private final SimConfig.Instances config;
    private final Map<String, Map<String, SimInstance>> byStack = new ConcurrentHashMap<>();
    private final AtomicInteger addresses = new AtomicInteger();
    private final Semaphore bootSlots;
    private final ExecutorService bootQueue = Executors.newSingleThreadExecutor(r -> daemon(r, "instance-boot"));
    private final ScheduledExecutorService slotTimer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "instance-boot-timer"));
    private final Path workDir;
    private final boolean ownWorkDir;

    public InstanceFleet(SimConfig config) {
        this.config = config.instances();
        this.bootSlots = new Semaphore(Math.max(1, this.config.bootConcurrency()));
        try {
            if (this.config.workDir().isPresent()) {
                workDir = Files.createDirectories(Path.of(this.config.workDir().get()).toAbsolutePath());
                ownWorkDir = false;
            } else {
                workDir = Files.createTempDirectory("leaseflow-sim-instances");
                ownWorkDir = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the instances' work dir", e);
        }
    }

    void onStackSettled(@Observes StackSettled settled) {
        if (!config.enabled()) {
            return;
        }
        if (settled.deleted()) {
            Map<String, SimInstance> gone = byStack.remove(settled.stackId());
            if (gone != null) {
                gone.values().forEach(this::remove);
                LOG.infof("stack %s: %d instance(s) deleted with the stack", settled.stackId(), gone.size());
            }
            return;
        }
        List<ServerSpec> wanted = settled.servers().stream().filter(s -> !s.reservation().isBlank()).toList();
        if (wanted.size() > config.maxPerStack()) {
            LOG.warnf("stack %s: %d servers, only the first %d get an instance (sim.instances.max-per-stack)",
                    settled.stackId(), wanted.size(), config.maxPerStack());
            wanted = wanted.subList(0, config.maxPerStack());
        }
        Map<String, SimInstance> instances = byStack.computeIfAbsent(settled.stackId(),
                id -> new ConcurrentHashMap<>());
        Set<String> names = wanted.stream().map(ServerSpec::name).collect(Collectors.toSet());
        List<String> removed = new ArrayList<>();
        instances.values().removeIf(i -> {
            if (names.contains(i.name())) {
                return false;
            }
            remove(i);
            removed.add(i.name());
            return true;
        });
        int booted = 0;
        for (ServerSpec server : wanted) {
            if (instances.containsKey(server.name())) {
                continue;
            }
            SimInstance instance = new SimInstance(settled.stackId(), server.resource(), server.name(),
                    nextAddress(), workDir.resolve(settled.stackId()).resolve(SimInstance.hostname(server.name())),
                    config.logLines());
            instances.put(server.name(), instance);
            bootQueue.execute(() -> boot(instance, server));
            booted++;
        }
        if (booted > 0 || !removed.isEmpty()) {
            LOG.infof("stack %s: %s_COMPLETE, %d instance(s) booting, %d removed", settled.stackId(),
                    settled.action(), booted, removed.size());
        }
    }

    /** Instances of one stack, or of all stacks, in boot order within each stack. */
    public List<Map<String, Object>> view(String stackId) {
        Collection<Map<String, SimInstance>> stacks = stackId == null ? byStack.values()
                : byStack.containsKey(stackId) ? List.of(byStack.get(stackId)) : List.of();
        List<Map<String, Object>> views = new ArrayList<>();
        stacks.forEach(m -> m.values().forEach(i -> views.add(i.view())));
        views.sort(java.util.Comparator.comparingLong(v -> ipOrder(String.valueOf(v.get("ip")))));
        return views;
    }

    @PreDestroy
    void shutdown() {
        bootQueue.shutdownNow();
        slotTimer.shutdownNow();
        byStack.values().forEach(m -> m.values().forEach(SimInstance::stop));
        if (ownWorkDir) {
            byStack.values().forEach(m -> m.values().forEach(SimInstance::deleteRoot));
            new InstanceRoot(workDir).delete();
        }
        byStack.clear();
    }

    private void boot(SimInstance instance, ServerSpec server) {
        try {
            bootSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (instance.boot(server.userData(), server.metadataUrl(), bootSlots::release)) {
            slotTimer.schedule(instance::releaseSlot, config.bootSlotTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void remove(SimInstance instance) {
        instance.stop();
        instance.deleteRoot();
    }

    /** 10.20.0.10, 10.20.0.11, ... 10.20.0.249, 10.20.1.10, ...: never reused while the simulator runs. */
    private String nextAddress() {
        int n = addresses.getAndIncrement();
        return "10.20." + (n / 240 % 256) + "." + (10 + n % 240);
    }

    private static long ipOrder(String ip) {
        long order = 0;
        for (String octet : ip.split("\\.")) {
            order = order * 256 + Integer.parseInt(octet);
        }
        return order;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
