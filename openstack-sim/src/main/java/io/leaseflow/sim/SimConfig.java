package io.leaseflow.sim;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the simulator can be told; defaults mirror the real services' defaults. */
@ConfigMapping(prefix = "sim")
public interface SimConfig {

    /** Base URL put in the catalog and in Location headers; when absent, taken from each request. */
    @WithName("public-url")
    Optional<String> publicUrl();

    Keystone keystone();

    Blazar blazar();

    Heat heat();

    Amqp amqp();

    Instances instances();

    interface Keystone {
        @WithName("token-ttl")
        @WithDefault("1h")
        Duration tokenTtl();

        @WithDefault("RegionOne")
        String region();

        /** Users by name; each lives in one project of domain Default. */
        Map<String, User> users();

        interface User {
            String password();

            String project();

            List<String> roles();
        }
    }

    interface Blazar {
        /** Blazar's own loop runs every 10 s; tests want it fast. */
        @WithDefault("1s")
        String tick();

        /** {@code chameleon} (five keys) or {@code upstream} (the whole lease). */
        @WithDefault("chameleon")
        PayloadStyle payload();

        @WithName("minutes-before-end")
        @WithDefault("60")
        int minutesBeforeEnd();

        enum PayloadStyle { chameleon, upstream }
    }

    interface Heat {
        @WithName("action-delay")
        @WithDefault("200ms")
        Duration actionDelay();

        @WithDefault("convergence")
        Engine engine();

        /** Chameleon's fork stores {@code initialize: true} stacks as INIT_COMPLETE; upstream Heat ignores the flag. */
        @WithName("initialize-supported")
        @WithDefault("true")
        boolean initializeSupported();

        enum Engine { convergence, legacy }
    }

    interface Amqp {
        @WithDefault("true")
        boolean enabled();

        String host();

        int port();

        String username();

        String password();

        @WithName("virtual-host")
        @WithDefault("/")
        String virtualHost();

        @WithDefault("openstack")
        String exchange();

        /** oslo's {@code amqp_durable_queues}, false by default; must match the cloud or declares fail with 406. */
        @WithDefault("false")
        boolean durable();

        /** oslo also declares and binds a queue named like the routing key. */
        @WithName("declare-default-queue")
        @WithDefault("true")
        boolean declareDefaultQueue();
    }

    /** Simulated Nova instances: each runs its {@code user_data} (the shipped agent) as a child process. */
    interface Instances {
        /** Off: stacks still complete, but no process is started. */
        @WithDefault("true")
        boolean enabled();

        /** Where each instance's root lives ({@code <dir>/<stack id>/<name>/etc/hosts}); unset: a temporary dir. */
        @WithName("work-dir")
        Optional<String> workDir();

        /** Instances booting at once (start until their agent reported); the rest wait their turn. */
        @WithName("boot-concurrency")
        @WithDefault("8")
        int bootConcurrency();

        /** A boot slot is given back after this long even if the agent never said it reported. */
        @WithName("boot-slot-timeout")
        @WithDefault("30s")
        Duration bootSlotTimeout();

        /** Servers beyond this many in one stack get no instance. */
        @WithName("max-per-stack")
        @WithDefault("1000")
        int maxPerStack();

        /** Lines of each instance's console log kept for {@code GET /sim/instances}. */
        @WithName("log-lines")
        @WithDefault("40")
        int logLines();
    }
}
