package dev.nightjar.platform.chaos;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./nightjar chaos} options: the full run by default, {@code --short} for the few faults CI runs; the
 * merchants' clients speak HTTP/2 unless {@code --http1.1}.
 */
public final class ChaosOptions {


    private ChaosOptions() {
    }

    public static Chaos.Settings parse(List<String> args) {
        double rate = 15;
        Duration hold = Duration.ofSeconds(15);
        List<String> faults = List.of();
        Duration warmup = Duration.ofSeconds(30);
        HttpClient.Version http = HttpClient.Version.HTTP_2;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--short" -> {
                    rate = 8;
                    hold = Duration.ofSeconds(5);
                    faults = List.of(Faults.SHORT);
                    warmup = Duration.ofSeconds(20);
                }
                case "--rate" -> rate = Double.parseDouble(value(args, ++i));
                case "--hold" -> hold = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--faults" -> faults = Arrays.stream(value(args, ++i).split(",")).map(String::strip).toList();
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--http1.1" -> http = HttpClient.Version.HTTP_1_1;
                default -> throw new IllegalArgumentException("unknown chaos option " + args.get(i)
                        + " (--short, --rate N, --hold SECONDS, --warmup SECONDS, --faults a,b,..., --http1.1)");
            }
        }
        return new Chaos.Settings(rate, hold, Duration.ofSeconds(60), faults, warmup, http);
    }

    private static String value(List<String> args, int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(args.get(index - 1) + " needs a value");
        }
        return args.get(index);
    }
}
