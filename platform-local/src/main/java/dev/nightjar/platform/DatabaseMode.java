package dev.nightjar.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which PostgreSQL a platform runs: one server, or Patroni clusters ({@code ./nightjar up --ha}). The choice
 * is remembered in the state directory, so every later command keeps it; the two keep their data in
 * different places, so switching an existing state is refused rather than starting an empty database.
 */
public enum DatabaseMode {
    SINGLE("single"),
    HA("ha");

    private final String word;

    DatabaseMode(String word) {
        this.word = word;
    }

    /** The mode this state directory was made with, if any database was made in it yet. */
    public static Optional<DatabaseMode> recorded(PlatformLayout layout) {
        Path file = layout.databaseModeFile();
        try {
            if (Files.exists(file)) {
                String word = Files.readString(file).trim();
                return Optional.of(Arrays.stream(values()).filter(mode -> mode.word.equals(word)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(file + " names no database mode: " + word)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a state made before the mode was remembered holds a single server
        return Files.exists(layout.postgresData().resolve("PG_VERSION")) ? Optional.of(SINGLE) : Optional.empty();
    }

    /**
     * The mode to run: the recorded one, or {@code requested} on a new state directory, or {@link #SINGLE}.
     * A request that contradicts the recorded mode is refused.
     */
    public static DatabaseMode choose(PlatformLayout layout, Optional<DatabaseMode> requested) {
        Optional<DatabaseMode> recorded = recorded(layout);
        if (recorded.isPresent() && requested.isPresent() && recorded.get() != requested.get()) {
            throw new IllegalStateException("the state in " + layout.state() + " holds " + recorded.get().description()
                    + "; it cannot be switched to " + requested.get().description() + " in place. Use another state"
                    + " directory (NIGHTJAR_STATE=...), or ./nightjar down and remove " + layout.state()
                    + " to start afresh (its payments are lost)");
        }
        return recorded.or(() -> requested).orElse(SINGLE);
    }

    /** Remembers this mode for the state directory. */
    public void record(PlatformLayout layout) {
        try {
            Files.createDirectories(layout.state());
            Files.writeString(layout.databaseModeFile(), word + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String description() {
        return this == HA ? "highly available PostgreSQL (Patroni, up --ha)" : "a single PostgreSQL server (up)";
    }
}
