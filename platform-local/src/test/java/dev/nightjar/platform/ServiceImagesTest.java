package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.platform.ServiceImages.ClassCache;
import org.junit.jupiter.api.Test;

class ServiceImagesTest {

    @Test
    void theServicesKeepAClassDataArchiveUnlessTheEnvironmentChooses() {
        assertThat(ServiceImages.classCache(25, null)).isEqualTo(ClassCache.CDS);
        assertThat(ServiceImages.classCache(21, "")).isEqualTo(ClassCache.CDS);
        assertThat(ServiceImages.classCache(25, " ")).isEqualTo(ClassCache.CDS);
    }

    @Test
    void theEnvironmentMayChooseTheArchiveOnAnyJdkButTheAotCacheOnlyFrom25() {
        assertThat(ServiceImages.classCache(25, "cds")).isEqualTo(ClassCache.CDS);
        assertThat(ServiceImages.classCache(25, "AOT")).isEqualTo(ClassCache.AOT);
        assertThatThrownBy(() -> ServiceImages.classCache(21, "aot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JDK 25");
        assertThatThrownBy(() -> ServiceImages.classCache(25, "jit"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessStartedToRecordAnAotCacheIsToldByItsOwnCommandLine() throws Exception {
        Process recording = new ProcessBuilder("sh", "-c", "sleep 30", "-XX:AOTCacheOutput=/tmp/nightjar-test.aot").start();
        Process reading = new ProcessBuilder("sh", "-c", "sleep 30", "-XX:AOTCache=/tmp/nightjar-test.aot").start();
        try {
            assertThat(ServiceImages.writesCacheAtExit(recording.toHandle().info().arguments().orElseThrow())).isTrue();
            assertThat(ServiceImages.writesCacheAtExit(reading.toHandle().info().arguments().orElseThrow())).isFalse();
        } finally {
            recording.destroyForcibly();
            reading.destroyForcibly();
        }
    }
}
