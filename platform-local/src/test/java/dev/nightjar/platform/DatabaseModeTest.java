package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseModeTest {

    @TempDir
    Path dir;

    @Test
    void aNewStateRunsWhatIsAskedAndASingleServerByDefault() {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), Ports.DEFAULT);
        assertThat(DatabaseMode.choose(layout, Optional.empty())).isEqualTo(DatabaseMode.SINGLE);
        assertThat(DatabaseMode.choose(layout, Optional.of(DatabaseMode.HA))).isEqualTo(DatabaseMode.HA);
    }

    @Test
    void aLaterPlainUpOnAnHaStateKeepsHa() {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), Ports.DEFAULT);
        DatabaseMode.HA.record(layout);
        assertThat(DatabaseMode.choose(layout, Optional.empty())).isEqualTo(DatabaseMode.HA);
    }

    @Test
    void switchingAnExistingStateIsRefusedEitherWay() throws Exception {
        PlatformLayout ha = new PlatformLayout(dir, dir.resolve("ha-state"), Ports.DEFAULT);
        DatabaseMode.HA.record(ha);
        assertThatThrownBy(() -> DatabaseMode.choose(ha, Optional.of(DatabaseMode.SINGLE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be switched");

        // a state made before the mode was remembered: its single server's data directory says so
        PlatformLayout old = new PlatformLayout(dir, dir.resolve("old-state"), Ports.DEFAULT);
        Files.createDirectories(old.postgresData());
        Files.writeString(old.postgresData().resolve("PG_VERSION"), "18\n");
        assertThatThrownBy(() -> DatabaseMode.choose(old, Optional.of(DatabaseMode.HA)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a single PostgreSQL server");
    }
}
