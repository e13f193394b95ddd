package io.leaseflow.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Short ids that keep test classes apart inside shared brokers and servers. */
public final class TestIds {
    private TestIds() {
    }

    public static String next() {
        return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }
}
