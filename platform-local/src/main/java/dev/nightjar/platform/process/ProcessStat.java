package dev.nightjar.platform.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU figures of one process from a line of {@code /proc/<pid>/stat} (proc(5)). Times are in clock
 * ticks: user and system time of the process's own threads, and of the children it has waited for (so a
 * PostgreSQL backend that exited during a measurement still counts, in its postmaster's figures).
 *
 * @param name             the command name, without its parentheses (it may itself hold spaces and parentheses)
 * @param parentPid        the parent's pid (ppid)
 * @param startTicks       when the process started, in ticks after boot: tells a recycled pid from the original
 */
public record ProcessStat(long pid, String name, long parentPid, long userTicks, long systemTicks, long childrenUserTicks,
                   long childrenSystemTicks, long startTicks) {

    /** The fields after the name, counted from the state (field 3 in proc(5)). */
    private static final int STATE = 0;
    private static final int PARENT_PID = 1;
    private static final int USER_TIME = 11;
    private static final int SYSTEM_TIME = 12;
    private static final int CHILDREN_USER_TIME = 13;
    private static final int CHILDREN_SYSTEM_TIME = 14;
    private static final int START_TIME = 19;

    /** Everything this process and its reaped children have spent on the CPU, in ticks. */
    public long totalTicks() {
        return userTicks + systemTicks + childrenUserTicks + childrenSystemTicks;
    }

    /**
     * Parses one stat line. The name is between the first {@code (} and the last {@code )}: a process may name
     * itself {@code a) b (c}, and only the last parenthesis is certain to close it.
     */
    public static ProcessStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviated(line));
        }
        String[] rest = line.substring(close + 1).trim().split(" +");
        if (rest.length <= START_TIME || rest[STATE].length() != 1) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with too few fields: " + abbreviated(line));
        }
        try {
            return new ProcessStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
                    Long.parseLong(rest[PARENT_PID]), Long.parseLong(rest[USER_TIME]), Long.parseLong(rest[SYSTEM_TIME]),
                    Long.parseLong(rest[CHILDREN_USER_TIME]), Long.parseLong(rest[CHILDREN_SYSTEM_TIME]),
                    Long.parseLong(rest[START_TIME]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with a field that is not a number: "
                    + abbreviated(line), e);
        }
    }

    /** Process {@code pid}'s figures read from {@code /proc/<pid>/stat} now; empty when it is gone or unreadable. */
    public static Optional<ProcessStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The figures of every numbered entry of {@code directory} ({@code /proc} for the processes, {@code
     * /proc/<pid>/task} for a process's threads), by pid or thread id; one that ends while it is read is left out.
     *
     * @throws IOException when the directory itself cannot be listed (a process that is gone has no task directory)
     */
    public static Map<Long, ProcessStat> readAll(Path directory) throws IOException {
        Map<Long, ProcessStat> stats = new HashMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    ProcessStat stat = parse(Files.readString(entry.resolve("stat")));
                    stats.put(stat.pid(), stat);
                } catch (IOException e) {
                    // it ended between the listing and the read (a vanished one reads as ESRCH or is not found)
                }
            }
        }
        return stats;
    }

    /**
     * The busy ticks of the whole machine from the first line of {@code /proc/stat}: all but idle, iowait and steal.
     * Steal is time the machine's CPUs wanted to run and the host ran something else: no work of this machine.
     */
    public static long busyTicksOfMachine(String cpuLine) {
        String[] fields = cpuFields(cpuLine);
        // user nice system idle iowait irq softirq steal; guest time is already inside user and nice
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7}) {
            busy += Long.parseLong(fields[field]);
        }
        return busy;
    }

    /** The ticks the host took from this machine's CPUs (steal), from the first line of {@code /proc/stat}. */
    public static long stealTicksOfMachine(String cpuLine) {
        return Long.parseLong(cpuFields(cpuLine)[8]);
    }

    private static String[] cpuFields(String cpuLine) {
        String[] fields = cpuLine.trim().split(" +");
        if (fields.length < 9 || !"cpu".equals(fields[0])) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + abbreviated(cpuLine));
        }
        return fields;
    }

    private static String abbreviated(String line) {
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
