package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {

    private static final Instant START = Instant.parse("2026-12-05T15:00:00Z");

    @TempDir
    Path logs;

    @Test
    void aLineOfTheServicesGcLogIsReadAsItsProcessTimeKindAndLength() {
        assertThat(GcPauses.parse("gateway-service",
                "[2026-12-05T15:00:08.741+0000][357.825s] GC(274) Pause Full (Metadata GC Threshold) 86M->54M(132M) 1220.548ms"))
                .contains(new GcPauses.Pause("gateway-service", Instant.parse("2026-12-05T15:00:08.741Z"),
                        "Pause Full (Metadata GC Threshold)", 1220.548));
        assertThat(GcPauses.parse("vault-service",
                "[2026-12-05T16:00:01.002+0100][1.2s] GC(3) Pause Young (Allocation Failure) 18M->9M(61M) 30.804ms"))
                .map(GcPauses.Pause::at).contains(Instant.parse("2026-12-05T15:00:01.002Z"));
        assertThat(GcPauses.parse("acquirer-a", "[2026-12-06T08:41:08.579+0000][0.418s] GC(0) Y: Pause Mark End 0.006ms"))
                .contains(new GcPauses.Pause("acquirer-a", Instant.parse("2026-12-06T08:41:08.579Z"), "Pause Mark End", 0.006));
        assertThat(GcPauses.parse("acquirer-a",
                "[2026-12-06T08:33:58.029+0000][186.590s] GC(43) Major Collection (Proactive) 520M(81%)->310M(48%) 0.544s"))
                .as("a ZGC cycle runs beside the application: not a pause").isEmpty();
        assertThat(GcPauses.parse("vault-service", "[2026-12-05T15:00:00.010+0000][0.018s] Using Serial")).isEmpty();
        assertThat(GcPauses.parse("vault-service", "[2026-12-05T15:00:00.010+0000][0.018s] GC(1) Concurrent Mark 1.0ms"))
                .isEmpty();
    }

    @Test
    void onlyPausesThatEndedInTheWindowAreReadFromEveryInstancesCurrentAndRotatedLogs() throws IOException {
        Files.writeString(logs.resolve("gateway-service.log"), String.join("\n",
                "[2026-12-05T14:59:59.999+0000][1.0s] GC(1) Pause Young (Allocation Failure) 18M->9M(61M) 500.0ms",
                "[2026-12-05T15:00:12.000+0000][13.0s] GC(2) Pause Young (Allocation Failure) 30M->12M(61M) 6.5ms",
                "[2026-12-05T15:00:17.500+0000][18.5s] GC(3) Pause Full (Metadata GC Threshold) 86M->54M(132M) 1220.5ms",
                "[2026-12-05T15:01:00.000+0000][61.0s] GC(4) Pause Young (Allocation Failure) 30M->12M(61M) 900.0ms", ""));
        Files.writeString(logs.resolve("gateway-service.log.0"),
                "[2026-12-05T15:00:02.000+0000][3.0s] GC(0) Pause Young (Allocation Failure) 18M->9M(61M) 3.25ms\n");
        Files.writeString(logs.resolve("auth-service.log"),
                "[2026-12-05T15:00:45.000+0000][46.0s] GC(9) Pause Young (Allocation Failure) 40M->20M(61M) 40.0ms\n");
        Files.writeString(logs.resolve("notes.txt"),
                "[2026-12-05T15:00:30.000+0000][31.0s] GC(9) Pause Young (Allocation Failure) 40M->20M(61M) 999.0ms\n");

        List<GcPauses.Pause> pauses = GcPauses.read(logs, START, START.plusSeconds(60));
        GcPauses.Window window = GcPauses.window(pauses, START, 10);

        assertThat(pauses).extracting(GcPauses.Pause::millis).containsExactly(3.25, 6.5, 1220.5, 40.0);
        assertThat(window.count()).isEqualTo(4);
        assertThat(window.totalMillis()).isEqualTo(1270.25);
        assertThat(window.longest().process()).isEqualTo("gateway-service");
        assertThat(window.full()).extracting(GcPauses.Pause::kind).containsExactly("Pause Full (Metadata GC Threshold)");
        assertThat(window.processes()).containsExactly(new GcPauses.ProcessPauses("auth-service", 1, 40.0, 40.0),
                new GcPauses.ProcessPauses("gateway-service", 3, 1230.25, 1220.5));
        assertThat(window.longestIn(0)).map(GcPauses.Pause::millis).contains(3.25);
        assertThat(window.longestIn(10)).hasValueSatisfying(slice -> {
            assertThat(slice.millis()).isEqualTo(1220.5);
            assertThat(slice.full()).isTrue();
        });
        assertThat(window.longestIn(20)).isEmpty();
        assertThat(window.longestIn(40)).map(GcPauses.Pause::process).contains("auth-service");
    }

    @Test
    void aPlatformWithoutGcLogsHasNoPauses() {
        assertThat(GcPauses.read(logs.resolve("gc"), START, START.plusSeconds(60))).isEmpty();
        assertThat(GcPauses.window(List.of(), START, 10)).isEqualTo(GcPauses.Window.NONE);
    }
}
