package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.bench.CardMix.CardKind;
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
}
