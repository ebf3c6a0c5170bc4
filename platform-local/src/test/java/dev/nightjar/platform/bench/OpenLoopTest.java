package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nightjar.platform.bench.CardMix.CardKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    @Test
    void everyScheduledRequestIsSentAndItsAnswerTalliedAgainstWhatItsCardShouldGet() throws InterruptedException {
        // 40 requests over 100 ms; every fourth unanswered, every fourth a declined card, the rest approved
        OpenLoop.Result result = OpenLoop.run(new ArrivalSchedule(400, Duration.ofMillis(100)), n -> switch ((int) (n % 4)) {
            case 0 -> new OpenLoop.Answer(CardKind.APPROVED, OpenLoop.NO_ANSWER, null);
            case 1 -> new OpenLoop.Answer(CardKind.DECLINED, 201, "declined");
            case 2 -> new OpenLoop.Answer(CardKind.APPROVED, 503, null);
            default -> new OpenLoop.Answer(CardKind.APPROVED, 201, "captured");
        });

        assertThat(result.scheduled()).isEqualTo(40);
        assertThat(result.answered()).isEqualTo(30);
        assertThat(result.paymentsCreated()).isEqualTo(20);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(40);
        assertThat(result.httpStatuses()).containsExactlyInAnyOrderEntriesOf(Map.of("201", 20L, "503", 10L, "no answer", 10L));
        assertThat(result.errors()).containsExactlyInAnyOrderEntriesOf(Map.of("approved card: no answer", 10L,
                "approved card: 503", 10L));
        assertThat(result.errorCount()).isEqualTo(20);
        assertThat(result.outcomes().get("declined")).containsExactly(Map.entry("201 declined", 10L));
        // the last request is due at 97.5 ms and answered at once: the window is the schedule's 100 ms
        assertThat(result.windowNanos()).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void theRunIsAlsoTalliedBySlicesOfIntendedSendTime() throws InterruptedException {
        // 250 ms at 200/s: 50 requests, 20 due in each of the first two 100 ms slices and 10 in the last 50 ms;
        // the first 10 due are shed (503), one of the next slice is unanswered, the rest create a payment
        ArrivalSchedule schedule = new ArrivalSchedule(200, Duration.ofMillis(250));
        AtomicInteger cpuReads = new AtomicInteger();
        OpenLoop.Result result = OpenLoop.run(schedule, Duration.ofMillis(100), n -> {
            if (n < 10) {
                return new OpenLoop.Answer(CardKind.APPROVED, 503, null);
            }
            return n == 25 ? new OpenLoop.Answer(CardKind.APPROVED, OpenLoop.NO_ANSWER, null)
                    : new OpenLoop.Answer(CardKind.APPROVED, 201, "captured");
        }, () -> Map.of("gateway-service", 10.0 * cpuReads.incrementAndGet()));

        assertThat(result.intervals()).extracting(OpenLoop.Interval::fromSecond, OpenLoop.Interval::toSecond,
                OpenLoop.Interval::scheduled, OpenLoop.Interval::created, OpenLoop.Interval::shed,
                OpenLoop.Interval::unanswered, OpenLoop.Interval::otherErrors).containsExactly(
                tuple(0.0, 0.1, 20L, 10L, 10L, 0L, 0L),
                tuple(0.1, 0.2, 20L, 19L, 0L, 1L, 0L),
                tuple(0.2, 0.25, 10L, 10L, 0L, 0L, 0L));
        assertThat(result.intervals().stream().mapToLong(OpenLoop.Interval::scheduled).sum()).isEqualTo(result.scheduled());
        // the CPU is read when each slice's first request is sent and when the schedule ends: 10 ms between reads
        assertThat(cpuReads).hasValue(4);
        assertThat(result.intervals()).allSatisfy(interval -> assertThat(interval.cpuPercentOfCore()).containsOnlyKeys("gateway-service")
                .allSatisfy((process, percent) -> assertThat(percent).isPositive()));
        if (Files.isReadable(Path.of("/proc/pressure/cpu")) && Files.isReadable(Path.of("/proc/pressure/io"))) {
            // each slice has the machine's pressure over it, read when its first request was sent
            assertThat(result.intervals()).allSatisfy(interval -> assertThat(interval.pressure()).isNotNull()
                    .satisfies(pressure -> assertThat(pressure.cpuSomePercent()).isBetween(0.0, 100.0)));
        }
    }

    @Test
    void eachProcesssCpuInASliceIsWhatItGrewByOverTheWallTimeBetweenTheReads() {
        OpenLoop.Moment from = new OpenLoop.Moment(1_000_000_000L, null,
                Map.of("gateway-service", 5_000.0, "kafka", 2_000.0, "vault-service", 900.0));
        // 2 s later: the gateway spent 1,000 ms, kafka 3,000 ms (more than a core: its threads), the vault's
        // process was restarted (it reads less than before) and ledger-service was not read at the start
        OpenLoop.Moment to = new OpenLoop.Moment(3_000_000_000L, null,
                Map.of("gateway-service", 6_000.0, "kafka", 5_000.0, "vault-service", 40.0, "ledger-service", 70.0));

        assertThat(OpenLoop.Moment.cpuPercentOfCore(from, to)).containsExactly(Map.entry("gateway-service", 50.0),
                Map.entry("kafka", 150.0), Map.entry("vault-service", 0.0));
        assertThat(OpenLoop.Moment.cpuPercentOfCore(from, from)).isEmpty();
    }

    @Test
    void aSliceNamesTheProcessMostAboveItsShareOfTheWindow() {
        OpenLoop.Interval slice = new OpenLoop.Interval(20, 30, 300, 300, 0, 0, 0, 60, 1_400, null,
                Map.of("gateway-service", 40.0, "ledger-service", 35.0, "kafka", 10.0, "zipkin", 5.0));

        // the gateway spent more than the ledger, but the ledger is 30 points above its usual 5 % of a core
        assertThat(slice.mostAbove(Map.of("gateway-service", 30.0, "ledger-service", 5.0, "kafka", 15.0)))
                .contains(Map.entry("ledger-service", 30.0));
        assertThat(slice.totalCpuPercentOfCore()).isEqualTo(90.0);
        // a slice where every process spent its share or less names none
        assertThat(slice.mostAbove(Map.of("gateway-service", 40.0, "ledger-service", 35.0, "kafka", 15.0))).isEmpty();
    }
}
