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
}
