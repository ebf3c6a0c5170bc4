package dev.nightjar.acquirer;

import java.util.concurrent.atomic.AtomicReference;

/** Settings an operator switches at runtime over the admin API: the current ones, and the defaults a reset restores. */
abstract class Switches<S> {

    private final S defaults;
    private final AtomicReference<S> current;

    Switches(S defaults) {
        this.defaults = defaults;
        this.current = new AtomicReference<>(defaults);
    }

    final S defaults() {
        return defaults;
    }

    final S settings() {
        return current.get();
    }

    final S set(S settings) {
        current.set(settings);
        return settings;
    }

    final S reset() {
        return set(defaults);
    }
}
