package dev.nightjar.platform.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessStatTest {

    /** A postmaster's line as Linux 6 writes it: 52 fields. */
    private static final String POSTMASTER = "28141 (postgres) S 1 28141 28141 0 -1 4194304 9662 38721 4 9 8 21 107 98"
            + " 20 0 1 0 3034055 394653696 11141 18446744073709551615 94604378505216 94604387024648 140720421836800 0 0 0"
            + " 4194304 19935232 84487 1 0 0 17 0 0 0 0 0 0 94604389125328 94604389381048 94604437733376 140720421845001"
            + " 140720421845320 140720421845320 140720421846966 0";

    @Test
    void readsPidNameParentTicksAndStartTime() {
        ProcessStat stat = ProcessStat.parse(POSTMASTER);
        assertThat(stat).isEqualTo(new ProcessStat(28141, "postgres", 1, 8, 21, 107, 98, 3034055));
        assertThat(stat.totalTicks()).isEqualTo(8 + 21 + 107 + 98);
    }

    @Test
    void aNameWithSpacesAndParenthesesIsReadToItsLastClosingParenthesis() {
        String line = "4242 (Web Content) (x) y) R 4200 4242 4242 0 -1 4194560 120 0 0 0 1500 320 4 6 20 0 31 0"
                + " 99887766 2147483648 50000 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
        ProcessStat stat = ProcessStat.parse(line);
        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.name()).isEqualTo("Web Content) (x) y");
        assertThat(stat.parentPid()).isEqualTo(4200);
        assertThat(stat.userTicks()).isEqualTo(1500);
        assertThat(stat.systemTicks()).isEqualTo(320);
        assertThat(stat.childrenUserTicks()).isEqualTo(4);
        assertThat(stat.childrenSystemTicks()).isEqualTo(6);
        assertThat(stat.startTicks()).isEqualTo(99887766);
    }

    @Test
    void aLineThatIsNotAStatLineIsRefused() {
        assertThatThrownBy(() -> ProcessStat.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessStat.parse("12 (java) S 1 2 3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessStat.parse(POSTMASTER.replace(" 8 21 ", " 8 x "))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMachineIsBusyForAllButIdleAndIoWait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(ProcessStat.busyTicksOfMachine("cpu  100 5 50 1000 20 3 2 1 7 0")).isEqualTo(100 + 5 + 50 + 3 + 2);
        assertThat(ProcessStat.stealTicksOfMachine("cpu  100 5 50 1000 20 3 2 1 7 0")).isEqualTo(1);
        assertThatThrownBy(() -> ProcessStat.busyTicksOfMachine("cpu0 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessStat.stealTicksOfMachine("cpu 1 2 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLiveProcessIsReadFromProcAndOneThatIsGoneReadsAsEmpty() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcessStat.read(self)).hasValueSatisfying(stat -> {
            assertThat(stat.pid()).isEqualTo(self);
            assertThat(stat.startTicks()).isPositive();
        });
        assertThat(ProcessStat.read(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void everyProcessAndEveryThreadOfOneIsReadFromItsDirectoryAndAGoneProcessHasNone() throws Exception {
        long self = ProcessHandle.current().pid();

        assertThat(ProcessStat.readAll(Path.of("/proc"))).containsKey(self);
        assertThat(ProcessStat.readAll(Path.of("/proc", Long.toString(self), "task")).values())
                .as("this process's threads, the main one among them").anyMatch(thread -> thread.pid() == self);
        assertThatThrownBy(() -> ProcessStat.readAll(Path.of("/proc", Long.toString(Long.MAX_VALUE), "task")))
                .isInstanceOf(IOException.class);
    }
}
