package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nightjar.platform.bench.CardMix.CardKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        OpenLoop.Result result = OpenLoop.run(schedule, Duration.ofMillis(100), n -> {
            if (n < 10) {
                return new OpenLoop.Answer(CardKind.APPROVED, 503, null);
            }
            return n == 25 ? new OpenLoop.Answer(CardKind.APPROVED, OpenLoop.NO_ANSWER, null)
                    : new OpenLoop.Answer(CardKind.APPROVED, 201, "captured");
        });

        assertThat(result.intervals()).extracting(OpenLoop.Interval::fromSecond, OpenLoop.Interval::toSecond,
                OpenLoop.Interval::scheduled, OpenLoop.Interval::created, OpenLoop.Interval::shed,
                OpenLoop.Interval::unanswered, OpenLoop.Interval::otherErrors).containsExactly(
                tuple(0.0, 0.1, 20L, 10L, 10L, 0L, 0L),
                tuple(0.1, 0.2, 20L, 19L, 0L, 1L, 0L),
                tuple(0.2, 0.25, 10L, 10L, 0L, 0L, 0L));
        assertThat(result.intervals().stream().mapToLong(OpenLoop.Interval::scheduled).sum()).isEqualTo(result.scheduled());
        if (Files.isReadable(Path.of("/proc/pressure/cpu")) && Files.isReadable(Path.of("/proc/pressure/io"))) {
            // each slice has the machine's pressure over it, read when its first request was sent
            assertThat(result.intervals()).allSatisfy(interval -> assertThat(interval.pressure()).isNotNull()
                    .satisfies(pressure -> assertThat(pressure.cpuSomePercent()).isBetween(0.0, 100.0)));
        }
    }
}
