package dev.nightjar.platform.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadDumpsTest {

    @TempDir
    Path dir;

    @Test
    void aStuckJvmsDumpsShowItsMainThreadWhatItsCarriersRunAndItsParkedVirtualThreads() throws Exception {
        Process stuck = new ProcessBuilder(Processes.javaExecutable(), "-cp", Processes.classPath(),
                Stuck.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(stuck.getInputStream(), StandardCharsets.UTF_8))) {
            String[] ready = out.readLine().split(" ");
            assertThat(ready[0]).isEqualTo("stuck");
            long spinner = Long.parseLong(ready[1]);

            String printed = Files.readString(ThreadDumps.print(stuck.pid(), dir.resolve("dumps/print.txt")).orElseThrow());
            assertThat(ThreadDumps.stacks(printed, "main"::equals, 30)).singleElement().asString().contains("Stuck.mainWaits");
            // a carrier's stack in Thread.print goes on with the virtual thread mounted on it
            Map<String, String> mounted = ThreadDumps.mounted(printed, 30);
            assertThat(mounted).hasSize(1);
            assertThat(mounted.keySet()).allMatch(carrier -> carrier.startsWith("ForkJoinPool-1-worker-"));
            assertThat(mounted.values()).singleElement().asString()
                    .startsWith("   Mounted virtual thread #" + spinner).contains("Stuck.spins");
            // the virtual thread parked unmounted is not in it, only in the dump with the virtual threads
            assertThat(printed).doesNotContain("Stuck.virtualWaits");

            String all = Files.readString(ThreadDumps.withVirtualThreads(stuck.pid(), dir.resolve("dumps/all.txt")).orElseThrow());
            assertThat(ThreadDumps.stacks(all, String::isEmpty, 30)).anySatisfy(stack -> assertThat(stack).contains("Stuck.virtualWaits"));
            assertThat(ThreadDumps.stacks(all, name -> name.startsWith("no such thread"), 30)).isEmpty();
        } finally {
            stuck.destroyForcibly().waitFor();
        }
    }

    @Test
    void noDumpOfAProcessThatIsGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThat(ThreadDumps.print(gone.pid(), dir.resolve("print.txt"))).isEmpty();
        assertThat(ThreadDumps.withVirtualThreads(gone.pid(), dir.resolve("all.txt"))).isEmpty();
        assertThat(dir.resolve("print.txt")).doesNotExist();
    }

    /**
     * A JVM whose main thread waits for good, one virtual thread parked and one spinning on its carrier, in methods
     * the dumps must name; prints "stuck" and the spinner's thread id once all are in place.
     */
    public static final class Stuck {

        private static volatile boolean spinning = true;

        public static void main(String[] args) throws InterruptedException {
            CountDownLatch never = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(2);
            Thread.ofVirtual().start(() -> virtualWaits(inside, never));
            Thread spinner = Thread.ofVirtual().start(() -> spins(inside));
            inside.await();
            System.out.println("stuck " + spinner.threadId());
            System.out.flush();
            mainWaits(never);
        }

        static void mainWaits(CountDownLatch never) throws InterruptedException {
            never.await();
        }

        static void virtualWaits(CountDownLatch inside, CountDownLatch never) {
            inside.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void spins(CountDownLatch inside) {
            inside.countDown();
            while (spinning) {
                Thread.onSpinWait();
            }
        }
    }
}
