package dev.nightjar.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contracts compile and run with plain Java and Jackson only: this module's own classpath (its tests run on
 * it) holds no Spring, no Kafka client, no JDBC driver, no servlet API. A dependency that pulled one in would make
 * the vocabulary framework-bound again.
 */
class NoFrameworkTest {

    @Test
    void theClasspathHoldsJacksonAndNoFramework() {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> new File(entry).getName())
                .toList();
        assertThat(jars).anyMatch(jar -> jar.startsWith("jackson-databind"));
        assertThat(jars).noneMatch(jar -> jar.startsWith("spring-") || jar.startsWith("kafka")
                || jar.startsWith("postgresql") || jar.startsWith("jakarta.servlet") || jar.startsWith("micrometer")
                || jar.startsWith("tomcat") || jar.startsWith("hikari") || jar.startsWith("HikariCP"));
    }

    @Test
    void springCannotBeLoaded() {
        assertThat(canLoad("org.springframework.core.SpringVersion")).isFalse();
        assertThat(canLoad("org.apache.kafka.clients.producer.Producer")).isFalse();
        assertThat(canLoad("tools.jackson.databind.json.JsonMapper")).isTrue();
    }

    private static boolean canLoad(String name) {
        try {
            Class.forName(name, false, NoFrameworkTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
