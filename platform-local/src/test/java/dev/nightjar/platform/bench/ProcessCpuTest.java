package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.platform.bench.ProcessCpu.Component;
import dev.nightjar.platform.process.ProcessStat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    private static final long TICKS_PER_SECOND = 100;
    private static final List<Component> COMPONENTS = List.of(new Component("postgresql", 10, true),
            new Component("gateway-service", 20, true), new Component("load generator (this bench)", 40, false));

    private static ProcessStat process(long pid, long parentPid, long user, long system, long childrenUser,
                                       long childrenSystem) {
        return new ProcessStat(pid, "p" + pid, parentPid, user, system, childrenUser, childrenSystem, 1000 + pid);
    }

    private static Map<Long, ProcessStat> processes(ProcessStat... processes) {
        return Stream.of(processes).collect(Collectors.toMap(ProcessStat::pid, process -> process));
    }

    @Test
    void cpuMillisPerPaymentIsTheTicksInMillisecondsOverThePayments() {
        // 150 ticks at 100 per second = 1,500 ms, over 300 payments
        assertThat(ProcessCpu.millisPerPayment(150, TICKS_PER_SECOND, 300)).isCloseTo(5.0, within(1e-9));
        assertThat(ProcessCpu.millisPerPayment(150, 250, 300)).isCloseTo(2.0, within(1e-9));
        assertThat(ProcessCpu.millisPerPayment(150, TICKS_PER_SECOND, 0)).isZero();
    }

    @Test
    void percentOfACoreIsTheCpuTimeOverTheWindow() {
        // 1,500 ms of CPU in 3 s: half a core; 6,000 ms in 3 s: two cores
        assertThat(ProcessCpu.percentOfCore(150, TICKS_PER_SECOND, 3_000_000_000L)).isCloseTo(50.0, within(1e-9));
        assertThat(ProcessCpu.percentOfCore(600, TICKS_PER_SECOND, 3_000_000_000L)).isCloseTo(200.0, within(1e-9));
        assertThat(ProcessCpu.percentOfCore(600, TICKS_PER_SECOND, 0)).isZero();
    }

    @Test
    void thePlatformsAgeIsHowLongItsYoungestProcessHasRunAndTheLoadGeneratorDoesNotCount() {
        // started at 1010, 1020 and 1040 ticks after boot (1000 + pid), read 100 s after boot
        ProcessCpu.Snapshot snapshot = new ProcessCpu.Snapshot(0, processes(process(10, 1, 0, 0, 0, 0),
                process(20, 1, 0, 0, 0, 0), process(40, 1, 0, 0, 0, 0)), 0, 0);
        assertThat(ProcessCpu.platformAgeSeconds(snapshot, COMPONENTS, TICKS_PER_SECOND, 100.0).getAsDouble())
                .isCloseTo(100.0 - 10.2, within(1e-9));
        assertThat(ProcessCpu.platformAgeSeconds(new ProcessCpu.Snapshot(0, processes(process(40, 1, 0, 0, 0, 0)), 0, 0),
                COMPONENTS, TICKS_PER_SECOND, 100.0)).isEmpty();
    }

    @Test
    void theUptimeIsReadFromProc() {
        assertThat(ProcessCpu.uptimeSeconds()).isPositive();
    }

    @Test
    void backendsAndTheirChildrenCountForThePostmasterAndStrangersForNobody() {
        Map<String, Long> ticks = ProcessCpu.ticksByComponent(COMPONENTS, processes(
                process(10, 1, 5, 5, 30, 10), process(11, 10, 7, 3, 0, 0), process(12, 10, 1, 1, 0, 0),
                process(13, 12, 2, 0, 0, 0), process(20, 1, 100, 20, 0, 0), process(30, 1, 999, 999, 0, 0)));
        assertThat(ticks).containsExactly(Map.entry("postgresql", 50L + 10 + 2 + 2), Map.entry("gateway-service", 120L));
    }

    @Test
    void aComponentBelowAnotherKeepsItsOwnProcesses() {
        List<Component> patroniNode = List.of(new Component("pg-0 patroni", 5, true), new Component("pg-0 postgres", 10, true));
        Map<String, Long> ticks = ProcessCpu.ticksByComponent(patroniNode, processes(
                process(5, 1, 3, 1, 0, 0), process(10, 5, 20, 10, 0, 0), process(11, 10, 6, 4, 0, 0)));
        assertThat(ticks).containsExactly(Map.entry("pg-0 patroni", 4L), Map.entry("pg-0 postgres", 40L));
    }

    @Test
    void aBackendThatExitsInTheWindowStillCountsThroughItsPostmaster() {
        ProcessCpu.Snapshot start = new ProcessCpu.Snapshot(1_000_000_000L, processes(process(10, 1, 60, 40, 0, 0),
                process(11, 10, 30, 20, 0, 0), process(20, 1, 200, 0, 0, 0), process(40, 1, 0, 0, 0, 0)), 10_000, 500);
        // backend 11 exited having spent 60 ticks in all (10 in the window); backend 12 started and spent 20
        ProcessCpu.Snapshot end = new ProcessCpu.Snapshot(3_000_000_000L, processes(process(10, 1, 70, 40, 40, 20),
                process(12, 10, 15, 5, 0, 0), process(20, 1, 260, 0, 0, 0), process(40, 1, 10, 0, 0, 0)), 10_300, 550);

        ProcessCpu.Table table = ProcessCpu.between(start, end, COMPONENTS, 40, TICKS_PER_SECOND);

        assertThat(table.windowSeconds()).isCloseTo(2.0, within(1e-9));
        ProcessCpu.Row postgres = table.processes().get(0);
        // (70 + 40 + 40 + 20 + 15 + 5) - (60 + 40 + 30 + 20) = 40 ticks = 400 ms
        assertThat(postgres.process()).isEqualTo("postgresql");
        assertThat(postgres.cpuMillis()).isCloseTo(400.0, within(1e-9));
        assertThat(postgres.millisPerPayment()).isCloseTo(10.0, within(1e-9));
        assertThat(postgres.percentOfCore()).isCloseTo(20.0, within(1e-9));
        assertThat(table.processes().get(1).cpuMillis()).isCloseTo(600.0, within(1e-9));
        assertThat(table.platformTotal().cpuMillis()).isCloseTo(1_000.0, within(1e-9));
        assertThat(table.loadGenerator().cpuMillis()).isCloseTo(100.0, within(1e-9));
        assertThat(table.wholeMachine().cpuMillis()).isCloseTo(3_000.0, within(1e-9));
        assertThat(table.wholeMachine().millisPerPayment()).isCloseTo(75.0, within(1e-9));
        assertThat(table.restOfMachine().cpuMillis()).isCloseTo(3_000.0 - 1_000 - 100, within(1e-9));
        // 50 ticks the host took in the 2 s window: a quarter of a core, in no row above
        assertThat(table.takenByHost().process()).isEqualTo("taken by the host (steal)");
        assertThat(table.takenByHost().cpuMillis()).isCloseTo(500.0, within(1e-9));
        assertThat(table.takenByHost().percentOfCore()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void nightjarsOwnRowLeavesOutTheSimulatorsAndTheObservabilityServers() {
        List<Component> fleet = List.of(new Component("postgresql", 10, true), new Component("gateway-service", 20, true),
                new Component("acquirer-a", 30, true), new Component("zipkin", 50, true), new Component("prometheus", 60, true),
                new Component("load generator (this bench)", 40, false));
        ProcessCpu.Snapshot start = new ProcessCpu.Snapshot(0, processes(process(10, 1, 0, 0, 0, 0), process(20, 1, 0, 0, 0, 0),
                process(30, 1, 0, 0, 0, 0), process(50, 1, 0, 0, 0, 0), process(60, 1, 0, 0, 0, 0), process(40, 1, 0, 0, 0, 0)), 0, 0);
        ProcessCpu.Snapshot end = new ProcessCpu.Snapshot(1_000_000_000L, processes(process(10, 1, 10, 0, 0, 0),
                process(20, 1, 20, 0, 0, 0), process(30, 1, 30, 0, 0, 0), process(50, 1, 50, 0, 0, 0),
                process(60, 1, 60, 0, 0, 0), process(40, 1, 40, 0, 0, 0)), 300, 0);

        ProcessCpu.Table table = ProcessCpu.between(start, end, fleet, 10, TICKS_PER_SECOND);

        assertThat(table.platformTotal().cpuMillis()).isCloseTo(1_700.0, within(1e-9));
        assertThat(table.nightjar().process()).isEqualTo(ProcessCpu.NIGHTJAR);
        assertThat(table.nightjar().cpuMillis()).isCloseTo(300.0, within(1e-9));
        assertThat(table.nightjar().millisPerPayment()).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void aProcessRestartedInTheWindowIsNamedButNotMeasured() {
        ProcessStat before = process(20, 1, 100, 0, 0, 0);
        ProcessStat restarted = new ProcessStat(20, "java", 1, 5, 0, 0, 0, before.startTicks() + 500);
        ProcessCpu.Table table = ProcessCpu.between(new ProcessCpu.Snapshot(0, processes(before), 0, 0),
                new ProcessCpu.Snapshot(1_000_000_000L, processes(restarted), 100, 0), COMPONENTS, 10, TICKS_PER_SECOND);

        assertThat(table.processes()).extracting(ProcessCpu.Row::process, ProcessCpu.Row::note).containsExactly(
                org.assertj.core.groups.Tuple.tuple("postgresql", "not running for the whole window"),
                org.assertj.core.groups.Tuple.tuple("gateway-service", "restarted in the window"));
        assertThat(table.platformTotal().cpuMillis()).isZero();
    }
}
