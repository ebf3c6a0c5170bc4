package dev.nightjar.deploy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration keys one Nightjar service knows: the Spring configuration metadata of its own module, of
 * common-lib, and of the libraries on its class path, as the build's configuration processor and the
 * libraries publish them ({@code META-INF/spring-configuration-metadata.json} and
 * {@code additional-spring-configuration-metadata.json}).
 *
 * <p>A key is known when it names a property; when it indexes a list property ({@code urls[0]}); or when it
 * lies under a map property, and, for a map of Nightjar's own records, its rest names a component of the
 * map's value type ({@code nightjar.clients.vault-service.url}).
 */
public final class KnownProperties {

    /** The service modules whose metadata belongs to them alone; every other class-path entry is shared. */
    public static final List<String> SERVICE_MODULES = List.of("gateway-service", "vault-service",
            "transaction-service", "auth-service", "risk-service", "ledger-service", "settlement-service",
            "acquirer-simulator");
    private static final List<String> METADATA = List.of("META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<[^,]+,\\s*([^>]+)>");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String module;
    /** Property name to its declared type. */
    private final Map<String, String> properties;

    private KnownProperties(String module, Map<String, String> properties) {
        this.module = module;
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** The keys {@code module} knows, from the class path this test runs with. */
    public static KnownProperties of(String module) {
        if (!SERVICE_MODULES.contains(module)) {
            throw new IllegalArgumentException("not a service module: " + module);
        }
        Map<String, String> properties = new HashMap<>();
        int ownFiles = 0;
        for (String resource : METADATA) {
            for (URL url : resources(resource)) {
                Optional<String> owner = owner(url);
                if (owner.isEmpty() || owner.get().equals(module)) {
                    read(url, properties);
                    ownFiles += owner.isPresent() ? 1 : 0;
                }
            }
        }
        if (ownFiles == 0) {
            throw new IllegalStateException("no configuration metadata of " + module + " on the class path: is it"
                    + " compiled with spring-boot-configuration-processor?");
        }
        return new KnownProperties(module, properties);
    }

    public String module() {
        return module;
    }

    public boolean knows(String key) {
        String unindexed = INDEX.matcher(key).replaceAll("");
        if (properties.containsKey(unindexed)) {
            return true;
        }
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String prefix = property.getKey() + ".";
            var map = MAP_TYPE.matcher(property.getValue());
            if (unindexed.startsWith(prefix) && map.matches()) {
                return knownInValue(map.group(1).strip(), unindexed.substring(prefix.length()));
            }
        }
        return false;
    }

    /** {@code rest} is "mapKey" or "mapKey.component...": for Nightjar's records the component must exist. */
    private static boolean knownInValue(String valueType, String rest) {
        int dot = rest.indexOf('.');
        if (dot < 0 || !valueType.startsWith("dev.nightjar.")) {
            return true;
        }
        String component = rest.substring(dot + 1);
        String first = component.contains(".") ? component.substring(0, component.indexOf('.')) : component;
        try {
            Class<?> type = Class.forName(valueType, false, KnownProperties.class.getClassLoader());
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                return true;
            }
            for (RecordComponent recordComponent : components) {
                if (kebab(recordComponent.getName()).equals(first)) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("metadata names " + valueType + ", which is not on the class path", e);
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<URL> resources(String name) {
        try {
            return Collections.list(KnownProperties.class.getClassLoader().getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service module a metadata file comes from ({@code .../gateway-service/target/classes/...} or its jar), if any. */
    private static Optional<String> owner(URL url) {
        String path = url.toString();
        return SERVICE_MODULES.stream()
                .filter(module -> path.contains("/" + module + "/") || path.contains("/" + module + ".jar")
                        || path.contains("/" + module + "-"))
                .findFirst();
    }

    private static void read(URL url, Map<String, String> properties) {
        try (InputStream in = url.openStream()) {
            JsonNode metadata = JSON.readTree(in);
            List<JsonNode> entries = new ArrayList<>();
            metadata.path("properties").forEach(entries::add);
            for (JsonNode entry : entries) {
                properties.putIfAbsent(entry.path("name").asText(), entry.path("type").asText(""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + url, e);
        }
    }
}
