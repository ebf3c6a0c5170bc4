package dev.nightjar.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ReusableTest {

    /** A stand-in instance that knows whether a caller holds it. */
    private static final class Part {
        final AtomicBoolean held = new AtomicBoolean();
    }

    private static Reusable<Part> counted(AtomicInteger made, int capacity) {
        return new Reusable<>(() -> {
            made.incrementAndGet();
            return new Part();
        }, capacity);
    }

    @Test
    void anInstanceGivenBackIsTheNextCallersInsteadOfANewOne() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Reusable<Part> parts = counted(made, 4);
        Set<Part> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 5; i++) {
            parts.use(seen::add);
        }
        assertThat(made).hasValue(1);
        assertThat(seen).hasSize(1);
        assertThat(parts.idle()).isEqualTo(1);
    }

    @Test
    void anInstanceWhoseWorkThrewIsDroppedNotKept() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Reusable<Part> parts = counted(made, 4);
        List<Part> broken = new ArrayList<>();
        assertThatThrownBy(() -> parts.use(part -> {
            broken.add(part);
            throw new GeneralSecurityException("half done");
        })).isInstanceOf(GeneralSecurityException.class).hasMessage("half done");
        assertThat(parts.idle()).isZero();
        Part next = parts.use(part -> part);
        assertThat(next).isNotSameAs(broken.get(0));
        assertThat(made).hasValue(2);
    }

    @Test
    void noMoreIdleInstancesAreKeptThanTheCapacity() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Reusable<Part> parts = counted(made, 2);
        // four held at once, one inside the other
        parts.use(a -> parts.use(b -> parts.use(c -> parts.use(d -> d))));
        assertThat(made).hasValue(4);
        assertThat(parts.idle()).isEqualTo(2);
        parts.use(a -> parts.use(b -> parts.use(c -> c)));
        assertThat(made).as("two kept, one made").hasValue(5);
        assertThat(parts.idle()).isEqualTo(2);
        assertThatThrownBy(() -> new Reusable<>(Part::new, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noInstanceIsInTwoCallersHandsAtOnce() throws Exception {
        AtomicInteger made = new AtomicInteger();
        AtomicInteger clashes = new AtomicInteger();
        Reusable<Part> parts = counted(made, 8);
        int threads = 8;
        try (var pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        parts.use(part -> {
                            if (!part.held.compareAndSet(false, true)) {
                                clashes.incrementAndGet();
                            }
                            Thread.onSpinWait();
                            part.held.set(false);
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(clashes).hasValue(0);
        assertThat(made.get()).isBetween(1, threads);
        assertThat(parts.idle()).isBetween(1, 8);
    }

    @Test
    void aKeyedMacKeptForReuseGivesWhatAFreshOneGives() throws Exception {
        SecretKeySpec key = new SecretKeySpec("a key of the gateway's".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        Reusable<Mac> macs = new Reusable<>(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        }, 2);
        for (int i = 0; i < 50; i++) {
            byte[] data = ("request " + i).getBytes(StandardCharsets.UTF_8);
            if (i % 7 == 3) {
                // a use that fed the Mac and then failed: that Mac must not carry its bytes into the next HMAC
                assertThatThrownBy(() -> macs.use(mac -> {
                    mac.update("left over".getBytes(StandardCharsets.UTF_8));
                    throw new GeneralSecurityException("failed mid-way");
                })).isInstanceOf(GeneralSecurityException.class);
            }
            Mac fresh = Mac.getInstance("HmacSHA256");
            fresh.init(key);
            byte[] expected = fresh.doFinal(data);
            byte[] kept = macs.use(mac -> mac.doFinal(data));
            assertThat(HexFormat.of().formatHex(kept)).as("HMAC %d", i).isEqualTo(HexFormat.of().formatHex(expected));
        }
    }
}
