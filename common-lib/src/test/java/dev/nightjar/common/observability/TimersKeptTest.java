package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TimersKeptTest {

    /** A registry that counts the timer lookups made through it. */
    private static final class CountingRegistry extends SimpleMeterRegistry {
        final AtomicInteger timerLookups = new AtomicInteger();

        @Override
        public Timer timer(String name, Iterable<Tag> tags) {
            timerLookups.incrementAndGet();
            return super.timer(name, tags);
        }
    }

    private static MeterRegistry registry(MeterRegistry registry) {
        // what the services' configuration does to these meters: a common tag, one tag renamed, a histogram
        registry.config().commonTags("application", "test-service");
        registry.config().meterFilter(MeterFilter.renameTag("http.client.requests", "client.name", "peer"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals("http.server.requests")
                        ? DistributionStatisticConfig.builder().serviceLevelObjectives(5e6, 50e6).build().merge(config)
                        : config;
            }
        });
        return registry;
    }

    /** The same observations, one after the other: requests and calls with several tag sets, errors and events. */
    private static void observe(MeterObservationHandler<Observation.Context> handler, MockClock clock) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(handler);
        String[] uris = {"/v1/payments", "/v1/payments/{id}", "/internal/v1/tokens"};
        String[] statuses = {"200", "201", "402", "503"};
        for (int i = 0; i < 600; i++) {
            String name = i % 3 == 0 ? "http.client.requests" : "http.server.requests";
            Observation observation = Observation.createNotStarted(name, observations)
                    .lowCardinalityKeyValue("uri", uris[i % uris.length])
                    .lowCardinalityKeyValue("status", statuses[i % statuses.length])
                    .highCardinalityKeyValue("http.url", "https://h/" + i)
                    .start();
            if (i % 3 == 0) {
                observation.lowCardinalityKeyValue("client.name", i % 2 == 0 ? "vault" : "transaction");
            }
            if (i % 11 == 0) {
                observation.error(i % 2 == 0 ? new IllegalStateException("x") : new java.io.IOException("y"));
            }
            if (i % 50 == 0) {
                observation.event(Observation.Event.of("retried"));
            }
            clock.add(Duration.ofMillis(i % 60));
            observation.stop();
        }
    }

    /** Every meter by its id (name, tags, type) and what it counted. */
    private static TreeMap<String, Long> meters(MeterRegistry registry) {
        TreeMap<String, Long> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String tags = meter.getId().getTags().stream().sorted(Comparator.comparing(Tag::getKey))
                    .map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
            long count = meter instanceof Timer timer ? timer.count()
                    : (long) meter.measure().iterator().next().getValue();
            String slos = meter instanceof Timer timer
                    ? " slo=" + timer.takeSnapshot().histogramCounts().length + " total=" + timer.totalTime(TimeUnit.MILLISECONDS)
                    : "";
            meters.put(meter.getId().getName() + "{" + tags + "} " + meter.getId().getType() + slos, count);
        }
        return meters;
    }

    @Test
    void itRegistersAndCountsTheSameMetersAsMicrometersHandler() {
        MockClock micrometersClock = new MockClock();
        MeterRegistry micrometers = registry(new SimpleMeterRegistry(SimpleConfig.DEFAULT, micrometersClock));
        observe(new DefaultMeterObservationHandler(micrometers, DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER),
                micrometersClock);
        MockClock keptClock = new MockClock();
        MeterRegistry kept = registry(new SimpleMeterRegistry(SimpleConfig.DEFAULT, keptClock));
        observe(new TimersKept(kept), keptClock);

        TreeMap<String, Long> expected = meters(micrometers);
        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(expected.keySet()).anyMatch(k -> k.contains("error=IllegalStateException"))
                .anyMatch(k -> k.contains("le=0.005")).anyMatch(k -> k.contains("le=0.05"))
                .anyMatch(k -> k.contains("peer=vault")).anyMatch(k -> k.startsWith("http.server.requests.retried"))
                .anyMatch(k -> k.contains("slo=2"));
        TreeMap<String, Long> actual = meters(kept);
        TreeMap<String, Long> missing = new TreeMap<>(expected);
        missing.entrySet().removeAll(actual.entrySet());
        TreeMap<String, Long> extra = new TreeMap<>(actual);
        extra.entrySet().removeAll(expected.entrySet());
        assertThat(missing).as("meters Micrometer's handler made and this one did not").isEmpty();
        assertThat(extra).as("meters this handler made and Micrometer's did not").isEmpty();
    }

    @Test
    void eachTimerIsLookedUpOnceAndThenKept() {
        CountingRegistry registry = new CountingRegistry();
        TimersKept handler = new TimersKept(registry);
        MockClock clock = new MockClock();
        observe(handler, clock);
        int timers = (int) registry.getMeters().stream().filter(m -> m instanceof Timer).count();
        assertThat(registry.timerLookups).hasValue(timers);
        assertThat(handler.kept()).isEqualTo(timers);
        observe(handler, clock);
        assertThat(registry.timerLookups).as("no lookup the second time").hasValue(timers);
        assertThat(registry.getMeters().stream().filter(m -> m instanceof Timer).mapToLong(m -> ((Timer) m).count()).sum())
                .isEqualTo(1_200);
    }

    @Test
    void pastTheBoundTimersAreLookedUpEachTimeAndStillCount() {
        CountingRegistry registry = new CountingRegistry();
        TimersKept handler = new TimersKept(registry);
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(handler);
        int distinct = KeptTimers.MOST_KEPT + 100;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < distinct; i++) {
                Observation.createNotStarted("unbounded", observations).lowCardinalityKeyValue("id", "v" + i).start().stop();
            }
        }
        assertThat(handler.kept()).isEqualTo(KeptTimers.MOST_KEPT);
        assertThat(registry.timerLookups).hasValue(distinct + 100);
        assertThat(registry.find("unbounded").timers()).hasSize(distinct).allMatch(t -> t.count() == 2);
    }

    @Test
    void springBootUsesItInPlaceOfItsOwnHandler() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TimersKeptConfiguration.class, MetricsAutoConfiguration.class,
                        ObservationAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(MeterObservationHandler.class).values())
                            .singleElement().isInstanceOf(TimersKept.class);
                    ObservationRegistry observations = context.getBean(ObservationRegistry.class);
                    Observation.createNotStarted("booted", observations).lowCardinalityKeyValue("k", "v").observe(() -> { });
                    assertThat(context.getBean(SimpleMeterRegistry.class).get("booted").tags("k", "v", "error", "none")
                            .timer().count()).isEqualTo(1);
                });
    }
}
