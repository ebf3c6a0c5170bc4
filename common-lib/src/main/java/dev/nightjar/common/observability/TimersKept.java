package dev.nightjar.common.observability;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;

/**
 * Micrometer's meter handler for observations ({@code http_server_requests}, {@code http_client_requests}, the
 * Kafka observations), keeping each timer it has found. Micrometer's {@code DefaultMeterObservationHandler} turns
 * the key values into tags, sorts them and looks the timer up in the registry at every observation's end: about
 * a hundredth of each service's CPU (docs/performance.md, "Crypto objects made once, timers found once, calls
 * inside an unrecorded trace without a span"). The meters are the same, by name, tags and registration: the first
 * of each is registered through the registry as Micrometer's handler registers it, so meter filters and the
 * histogram settings apply as before. No long-task timers, as with
 * {@code management.metrics.observations.ignored-meters=long-task-timer}.
 */
public final class TimersKept implements MeterObservationHandler<Observation.Context> {

    private final MeterRegistry registry;
    private final KeptTimers<Key> timers;

    /**
     * A timer's name, key values and error. Not a record: a record's {@code equals} and {@code hashCode} run through
     * method handles, which C1 (the local platform's compiler) does not inline; as a record this key cost more to
     * find than Micrometer's lookup it replaced.
     */
    private static final class Key {
        private final String name;
        private final KeyValues keyValues;
        private final String error;
        private final int hash;

        Key(String name, KeyValues keyValues, String error) {
            this.name = name;
            this.keyValues = keyValues;
            this.error = error;
            this.hash = (name.hashCode() * 31 + keyValues.hashCode()) * 31 + error.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && name.equals(key.name) && error.equals(key.error)
                    && keyValues.equals(key.keyValues);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    public TimersKept(MeterRegistry registry) {
        this.registry = registry;
        this.timers = new KeptTimers<>(registry, key -> registry.timer(key.name, tags(key.keyValues, key.error)));
    }

    @Override
    public void onStart(Observation.Context context) {
        context.put(Timer.Sample.class, Timer.start(registry));
    }

    @Override
    public void onStop(Observation.Context context) {
        Timer.Sample sample = context.getRequired(Timer.Sample.class);
        sample.stop(timer(context.getName(), context.getLowCardinalityKeyValues(), errorValue(context)));
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
        Counter.builder(context.getName() + "." + event.getName())
                .tags(tags(context.getLowCardinalityKeyValues(), null))
                .register(registry)
                .increment();
    }

    int kept() {
        return timers.size();
    }

    private Timer timer(String name, KeyValues keyValues, String error) {
        return timers.timer(new Key(name, keyValues, error));
    }

    private static List<Tag> tags(KeyValues keyValues, String error) {
        List<Tag> tags = new ArrayList<>();
        for (KeyValue keyValue : keyValues) {
            tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
        }
        if (error != null) {
            tags.add(Tag.of("error", error));
        }
        return tags;
    }

    private static String errorValue(Observation.Context context) {
        Throwable error = context.getError();
        return error == null ? "none" : error.getClass().getSimpleName();
    }
}
