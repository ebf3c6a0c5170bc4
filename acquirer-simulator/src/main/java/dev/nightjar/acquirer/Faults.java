package dev.nightjar.acquirer;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How this acquirer misbehaves, switched at runtime over its admin API: a latency distribution (log-normal
 * from a median and a 99th percentile), extra slowness, a share of errors (answered at once, nothing done),
 * a share of timeouts (the network acts, the caller hears nothing in time) and a full outage (every call
 * refused, nothing done).
 */
final class Faults extends Switches<Faults.Settings> {

    /** The switches. Rates are 0 to 1; latencies in milliseconds. */
    record Settings(double errorRate, double timeoutRate, boolean outage, long latencyMedianMs, long latencyP99Ms,
                    long extraLatencyMs) {

        Settings {
            if (errorRate < 0 || errorRate > 1 || timeoutRate < 0 || timeoutRate > 1) {
                throw ApiException.invalidParameter("error_rate", "error_rate and timeout_rate must be from 0 to 1.");
            }
            if (latencyMedianMs < 0 || latencyP99Ms < latencyMedianMs || extraLatencyMs < 0 || latencyP99Ms > 600_000) {
                throw ApiException.invalidParameter("latency_p99_ms",
                        "latencies must be non-negative, with the 99th percentile at least the median.");
            }
        }
    }

    /** What to do with one call: how long to wait first, and whether to leave the caller hanging after acting. */
    record Plan(Duration delay, boolean hang) {
    }

    private static final double Z99 = 2.3263478740408408;

    private final SplittableRandom random = new SplittableRandom();
    private final ReentrantLock randomLock = new ReentrantLock();

    Faults(Settings defaults) {
        super(defaults);
    }

    /** Decides the fate of one call: refuses it (outage, error) or says how long to wait and whether to hang. */
    Plan admit() {
        Settings settings = settings();
        if (settings.outage()) {
            throw new ApiException(503, ApiError.of(ErrorType.API, "acquirer_outage", "The acquirer is down."));
        }
        double errorDraw;
        double timeoutDraw;
        double gaussian;
        randomLock.lock();
        try {
            errorDraw = random.nextDouble();
            timeoutDraw = random.nextDouble();
            gaussian = gaussian();
        } finally {
            randomLock.unlock();
        }
        if (errorDraw < settings.errorRate()) {
            throw new ApiException(500, ApiError.of(ErrorType.API, "acquirer_error", "The acquirer failed to process the call."));
        }
        return new Plan(Duration.ofMillis(latency(settings, gaussian) + settings.extraLatencyMs()),
                timeoutDraw < settings.timeoutRate());
    }

    /** A log-normal draw with the given median and 99th percentile. */
    static long latency(Settings settings, double gaussian) {
        if (settings.latencyMedianMs() == 0) {
            return 0;
        }
        double sigma = Math.log((double) settings.latencyP99Ms() / settings.latencyMedianMs()) / Z99;
        return Math.round(settings.latencyMedianMs() * Math.exp(sigma * gaussian));
    }

    private double gaussian() {
        // Box-Muller; one of the pair is enough here
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
