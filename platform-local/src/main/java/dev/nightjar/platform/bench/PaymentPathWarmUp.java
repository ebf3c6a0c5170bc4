package dev.nightjar.platform.bench;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.EnvironmentNumbers;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.StateFiles;
import dev.nightjar.platform.TestCards;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Real payments through the whole path before {@code ./nightjar up} hands the platform over. Each service's own
 * warm-up ({@code RequestPathWarmUp}) compiles its request path with requests that change nothing, but the code
 * that writes (the database statements, the outbox and its relay, the calls to the next hop, the acquirer call,
 * the consumers behind Kafka) stays cold until the first payments: a fresh fleet's first ten seconds at 30
 * payments a second shed a fifth to a third of them and answered the rest at a p99 of seconds, while ten JVMs
 * compiled on two cores (docs/performance.md, "The first ten seconds: payments before the hand-over"). Here that
 * compiling is done before anyone pays.
 *
 * <p>The payments are made by two merchants of the warm-up's own, one on each shard, never the demo merchant, so
 * the demo merchant's payments are the user's alone. They are made once and kept, with their API clients' secrets,
 * in {@code .nightjar/warm-up-merchants.json} (readable by its owner only), so every later warm-up pays through the
 * same two. The cards are approved and declined ones; none goes to manual
 * review, so the review queue an operator reads holds no warm-up payment. The payments are real: they are in the
 * ledger, balanced, and are settled with the rest.
 */
public final class PaymentPathWarmUp {

    /** The environment variable that sets the warm-up's length in whole seconds; 0 leaves it out. */
    public static final String SECONDS_VARIABLE = "NIGHTJAR_WARM_UP_SECONDS";
    /**
     * The default length: after 15 s at 20 payments a second the first minute's p99 was still 0.5-1.4 s, after
     * 30 s it was the plateau's (docs/performance.md).
     */
    static final Duration DEFAULT_LENGTH = Duration.ofSeconds(30);
    /** The rate the payments are sent at, low enough that a cold fleet does not shed many of them. */
    static final double RATE_PER_SECOND = 20;
    /** The most seconds the variable may ask for. */
    static final long MAX_SECONDS = 600;
    /** What the warm-up's merchants are called, followed by the run and their number. */
    public static final String MERCHANT_NAME = "Payment path warm-up";

    private PaymentPathWarmUp() {
    }

    /**
     * The warm-up's length from {@code environment}: {@link #DEFAULT_LENGTH} when the variable is not set, zero
     * when it is 0; anything but a whole number of seconds from 0 to {@link #MAX_SECONDS} is refused, naming the
     * variable.
     */
    public static Duration length(Map<String, String> environment) {
        return Duration.ofSeconds(EnvironmentNumbers.wholeNumber(environment, SECONDS_VARIABLE, DEFAULT_LENGTH.toSeconds(),
                0, MAX_SECONDS, "a whole number of seconds from 0 to " + MAX_SECONDS + " (0 leaves the warm-up out)"));
    }

    /**
     * What the warm-up did: the payments sent and answered, the payments created, the p99 from each intended send
     * time, the answers that were not the card's (by kind and status), and the merchants that paid.
     */
    public record Outcome(long sent, long answered, long created, double p99Millis, Map<String, Long> errors,
                          Map<String, Map<String, Long>> outcomes, List<String> merchantIds) {
    }

    /**
     * Pays at {@code ratePerSecond} for {@code length} through the two warm-up merchants, one per shard
     * ({@link #merchants}), with the approved and declined test cards; returns once every payment sent has its answer
     * or has been given up on.
     */
    public static Outcome run(Platform platform, Duration length, double ratePerSecond)
            throws IOException, InterruptedException {
        HttpClient client = MerchantApi.client(platform);
        CardMix mix = CardMix.withoutReview(TestCards.of(platform));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<MerchantApi> merchants = merchants(platform, client, runId);
        OpenLoop.Result result = OpenLoop.run(new ArrivalSchedule(ratePerSecond, length),
                n -> OpenLoopBenchmark.pay(client, merchants, mix, "warm-up-" + runId, n));
        return new Outcome(result.scheduled(), result.answered(), result.paymentsCreated(), result.percentileMillis(99),
                result.errors(), result.outcomes(), merchants.stream().map(MerchantApi::merchantId).toList());
    }

    /**
     * The merchants of the last warm-up, kept in {@link dev.nightjar.platform.PlatformLayout#warmUpMerchantsFile()},
     * when there is one for each shard and each still signs in; otherwise one new merchant on each shard, kept there
     * in their place.
     */
    static List<MerchantApi> merchants(Platform platform, HttpClient client, String runId)
            throws IOException, InterruptedException {
        Path file = platform.layout().warmUpMerchantsFile();
        if (Files.exists(file)) {
            try {
                MerchantApi.Credentials[] kept = Json.MAPPER.readValue(file.toFile(), MerchantApi.Credentials[].class);
                if (kept.length == OpenLoopBenchmark.SHARDS) {
                    List<MerchantApi> merchants = new ArrayList<>();
                    for (MerchantApi.Credentials credentials : kept) {
                        merchants.add(MerchantApi.signIn(platform, client, credentials));
                    }
                    return merchants;
                }
            } catch (JacksonException | IllegalStateException e) {
                // not a list of merchants, or one no longer signs in (its database was wiped): new ones take their place
            }
        }
        List<MerchantApi> made = OpenLoopBenchmark.newMerchants(platform, client, MERCHANT_NAME + " " + runId, 1);
        if (made.size() == OpenLoopBenchmark.SHARDS) {
            // Written whole and readable by the owner only: the file holds the clients' secrets.
            StateFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(made.stream().map(MerchantApi::credentials).toList()));
        }
        return made;
    }

    /**
     * What {@code ./nightjar up} does once the platform is up and it started a service: a warm-up of {@code length}
     * ({@link #length}), reported on {@code out}. A warm-up that fails leaves the platform up as it is: it is
     * reported, and {@code up} still succeeds.
     */
    public static void afterUp(Platform platform, Duration length, PrintStream out) {
        if (length.isZero()) {
            out.println("payment path not warmed (" + SECONDS_VARIABLE + "=0): the first payments compile it");
            return;
        }
        out.printf("warming the payment path: %d s at %.0f payments/s through two warm-up merchants (%s=0 leaves it out)...%n",
                length.toSeconds(), RATE_PER_SECOND, SECONDS_VARIABLE);
        long started = System.nanoTime();
        try {
            Outcome outcome = run(platform, length, RATE_PER_SECOND);
            out.printf("  warmed in %.1f s: %d of %d payments created, p99 %.0f ms%s%n",
                    (System.nanoTime() - started) / 1e9, outcome.created(), outcome.sent(), outcome.p99Millis(),
                    outcome.errors().isEmpty() ? "" : "; answered otherwise than their cards expect (a fleet still"
                            + " compiling sheds some): " + outcome.errors());
        } catch (IOException | RuntimeException e) {
            out.println("  warm-up stopped (" + e.getMessage() + "); the platform is up, its first payments compile the rest");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("  warm-up interrupted; the platform is up");
        }
    }
}
