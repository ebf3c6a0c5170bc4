package dev.nightjar.common.config;

import dev.nightjar.common.security.NativeCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Gives every service the fleet's defaults and, unless {@code nightjar.tls.enabled=false}, mutual TLS:
 * TLS 1.3 only, the service's own certificate ({@code <tls-dir>/<service>.crt} and {@code .key}), the
 * platform CA as the only trust anchor, client certificates required on the application port and
 * offered-but-optional on the management port (health probes and Prometheus carry none).
 * Everything it adds sits below the service's own configuration, so any of it can be overridden.
 * Before any of it, the native crypto provider goes first in line ({@link NativeCrypto}), ahead of every TLS
 * context the service will build.
 */
public final class NightjarEnvironmentPostProcessor implements EnvironmentPostProcessor {

    public static final String BUNDLE = "nightjar";
    private static final String DEFAULTS = "dev/nightjar/common/nightjar-defaults.properties";

    private final Log log;

    public NightjarEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(NightjarEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        NativeCrypto.Outcome crypto = NativeCrypto.install();
        if (crypto.state() == NativeCrypto.State.UNAVAILABLE) {
            log.warn("Crypto: " + crypto.detail());
        } else {
            log.info("Crypto: " + crypto.detail());
        }
        ResourcePropertySource defaults = defaults();
        environment.getPropertySources().addLast(defaults);
        environment.getPropertySources().addBefore(defaults.getName(),
                new MapPropertySource("nightjarTls", tlsProperties(environment)));
    }

    /** Nightjar's defaults for every service ({@code nightjar-defaults.properties}), read from the classpath. */
    public static ResourcePropertySource defaults() {
        try {
            return new ResourcePropertySource("nightjarDefaults", new ClassPathResource(DEFAULTS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> tlsProperties(ConfigurableEnvironment environment) {
        Map<String, Object> properties = new LinkedHashMap<>();
        boolean enabled = environment.getProperty("nightjar.tls.enabled", Boolean.class, true);
        if (!enabled) {
            properties.put("server.ssl.enabled", "false");
            properties.put("management.server.ssl.enabled", "false");
            properties.put("nightjar.tls.trust-mesh-identity", "true");
            return properties;
        }
        // Placeholders, resolved when the bundle is built: test frameworks add nightjar.tls.dir after this runs.
        String dir = "${nightjar.tls.dir}";
        String service = "${nightjar.tls.identity:${spring.application.name}}";
        String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
        properties.put(prefix + "keystore.certificate", "file:" + dir + "/" + service + ".crt");
        properties.put(prefix + "keystore.private-key", "file:" + dir + "/" + service + ".key");
        properties.put(prefix + "truststore.certificate", "file:" + dir + "/ca.crt");
        properties.put(prefix + "options.enabled-protocols", "TLSv1.3");
        properties.put("server.ssl.bundle", BUNDLE);
        properties.put("server.ssl.client-auth", "need");
        properties.put("management.server.ssl.bundle", BUNDLE);
        properties.put("management.server.ssl.client-auth", "none");
        return properties;
    }
}
