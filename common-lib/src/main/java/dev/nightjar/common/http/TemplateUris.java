package dev.nightjar.common.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriBuilderFactory;
import org.springframework.web.util.UriUtils;

/**
 * The URIs of a client's calls, as Spring's {@link DefaultUriBuilderFactory} for the client's base URL makes them,
 * with each template read once. Spring parses the base URL and the template again on every call (with regular
 * expressions, through {@code UriComponentsBuilder}): 1.5-2.6 % of the calling services' CPU
 * (docs/performance.md).
 *
 * <p>A template is read here when it is what the services call: a path from {@code /} of unreserved characters,
 * single slashes and {@code {name}} variables, and perhaps a query of distinct {@code name=value} pairs, each value
 * unreserved characters or one variable; and the base URL a scheme, host and port with no path. Each variable's
 * value is encoded strictly (every character but the unreserved ones), as Spring's default
 * ({@code TEMPLATE_AND_VALUES}) does. Any other template or base URL goes to Spring's factory.
 */
public final class TemplateUris implements UriBuilderFactory {

    /** Templates kept; they come from the code, so far fewer; past this, each is read for its call alone. */
    private static final int MAX_TEMPLATES = 1_000;

    private final String baseUrl;
    private final boolean plainBase;
    private final DefaultUriBuilderFactory spring;
    private final Map<String, Optional<Template>> templates = new ConcurrentHashMap<>();

    public TemplateUris(String baseUrl) {
        this.baseUrl = baseUrl;
        this.plainBase = plainBase(baseUrl);
        this.spring = new DefaultUriBuilderFactory(baseUrl);
    }

    @Override
    public URI expand(String uriTemplate, Object... uriVariables) {
        Optional<Template> template = template(uriTemplate);
        if (template.isEmpty()) {
            return spring.expand(uriTemplate, uriVariables);
        }
        Iterator<Object> values = Arrays.asList(uriVariables == null ? new Object[0] : uriVariables).iterator();
        return template.get().expand(name -> {
            if (!values.hasNext()) {
                throw new IllegalArgumentException("Not enough variable values available to expand '" + name + "'");
            }
            return values.next();
        });
    }

    @Override
    public URI expand(String uriTemplate, Map<String, ?> uriVariables) {
        Optional<Template> template = template(uriTemplate);
        if (template.isEmpty()) {
            return spring.expand(uriTemplate, uriVariables);
        }
        return template.get().expand(name -> {
            if (!uriVariables.containsKey(name)) {
                throw new IllegalArgumentException("Map has no value for '" + name + "'");
            }
            return uriVariables.get(name);
        });
    }

    /**
     * The template with the base URL, which the client takes on every call (for the {@code uri} tag of its
     * observation, {@code toUriString()}): for a template read here, known without parsing either; a builder that
     * is changed or built from becomes Spring's.
     */
    @Override
    public UriBuilder uriString(String uriTemplate) {
        Optional<Template> template = template(uriTemplate);
        return template.isEmpty() ? spring.uriString(uriTemplate)
                : new KnownTemplate(template.get().withBase(), () -> spring.uriString(uriTemplate));
    }

    @Override
    public UriBuilder builder() {
        return spring.builder();
    }

    private Optional<Template> template(String uriTemplate) {
        if (!plainBase) {
            return Optional.empty();
        }
        Optional<Template> known = templates.get(uriTemplate);
        if (known != null) {
            return known;
        }
        Optional<Template> read = Optional.ofNullable(Template.read(uriTemplate, baseUrl));
        if (templates.size() < MAX_TEMPLATES) {
            templates.put(uriTemplate, read);
        }
        return read;
    }

    /** Whether this class expands {@code uriTemplate} itself (with a plain base URL) rather than Spring's factory. */
    static boolean readsItself(String uriTemplate) {
        return Template.read(uriTemplate, "") != null;
    }

    /** {@code http(s)://host[:port]}, the host a name or an IPv4 address, the port digits, nothing after them. */
    static boolean plainBase(String baseUrl) {
        int host = baseUrl.startsWith("https://") ? 8 : baseUrl.startsWith("http://") ? 7 : -1;
        if (host < 0 || host == baseUrl.length()) {
            return false;
        }
        int colon = baseUrl.indexOf(':', host);
        int end = colon < 0 ? baseUrl.length() : colon;
        if (end == host) {
            return false;
        }
        for (int i = host; i < end; i++) {
            char c = baseUrl.charAt(i);
            if (!(isUnreserved(c) && c != '~' && c != '_')) {
                return false;
            }
        }
        if (colon < 0) {
            return true;
        }
        for (int i = colon + 1; i < baseUrl.length(); i++) {
            if (baseUrl.charAt(i) < '0' || baseUrl.charAt(i) > '9') {
                return false;
            }
        }
        return colon + 1 < baseUrl.length();
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                || c == '~';
    }

    private interface Values {
        Object next(String name);
    }

    /**
     * A template read once: literal parts between its variables' names, the first after the base URL; the template
     * after the base URL; and for a template without variables its URI, the same for every call.
     */
    private record Template(String[] literals, String[] names, String withBase, URI constant) {

        /** The template read, or null when it is not one of the plain kind this class expands itself. */
        static Template read(String template, String baseUrl) {
            if (!template.startsWith("/") || template.contains("//")) {
                return null;
            }
            int question = template.indexOf('?');
            if (question >= 0 && !plainQuery(template.substring(question + 1))) {
                return null;
            }
            List<String> literals = new ArrayList<>();
            List<String> names = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            boolean query = false;
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if (c == '{') {
                    int end = template.indexOf('}', i);
                    if (end < 0 || end == i + 1) {
                        return null;
                    }
                    String name = template.substring(i + 1, end);
                    for (int j = 0; j < name.length(); j++) {
                        char n = name.charAt(j);
                        if (!(n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9' || n == '_')) {
                            return null;
                        }
                    }
                    literals.add(literal.toString());
                    literal.setLength(0);
                    names.add(name);
                    i = end;
                } else if (c == '?' && !query) {
                    query = true;
                    literal.append(c);
                } else if (isUnreserved(c) || c == '/' && !query || (c == '=' || c == '&') && query) {
                    literal.append(c);
                } else {
                    return null;
                }
            }
            literals.add(literal.toString());
            literals.set(0, baseUrl + literals.getFirst());
            String withBase = baseUrl + template;
            return new Template(literals.toArray(String[]::new), names.toArray(String[]::new), withBase,
                    names.isEmpty() && !baseUrl.isEmpty() ? URI.create(withBase) : null);
        }

        /**
         * {@code name=value} pairs joined by {@code &}, each name unreserved characters and given once, each value
         * unreserved characters or one {@code {variable}}: the queries Spring renders as written.
         */
        private static boolean plainQuery(String query) {
            Set<String> names = new HashSet<>();
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || !names.add(pair.substring(0, equals)) || !unreserved(pair.substring(0, equals))) {
                    return false;
                }
                String value = pair.substring(equals + 1);
                boolean variable = value.length() > 2 && value.startsWith("{") && value.indexOf('}') == value.length() - 1
                        && value.indexOf('{', 1) < 0;
                if (!variable && (value.isEmpty() || !unreserved(value))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean unreserved(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (!isUnreserved(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        URI expand(Values values) {
            if (constant != null) {
                return constant;
            }
            StringBuilder uri = new StringBuilder(withBase.length() + 64).append(literals[0]);
            for (int i = 0; i < names.length; i++) {
                Object value = values.next(names[i]);
                uri.append(UriUtils.encode(value == null ? "" : value.toString(), StandardCharsets.UTF_8))
                        .append(literals[i + 1]);
            }
            return URI.create(uri.toString());
        }
    }

    /** A template's string known in advance; anything else asked of it goes to Spring's builder for the template. */
    private static final class KnownTemplate implements UriBuilder {

        private final String uriString;
        private final Supplier<UriBuilder> spring;
        private UriBuilder builder;

        KnownTemplate(String uriString, Supplier<UriBuilder> spring) {
            this.uriString = uriString;
            this.spring = spring;
        }

        private UriBuilder spring() {
            if (builder == null) {
                builder = spring.get();
            }
            return builder;
        }

        @Override
        public String toUriString() {
            return builder == null ? uriString : builder.toUriString();
        }

        @Override
        public URI build(Object... uriVariables) {
            return spring().build(uriVariables);
        }

        @Override
        public URI build(Map<String, ?> uriVariables) {
            return spring().build(uriVariables);
        }

        @Override
        public UriBuilder scheme(String scheme) {
            spring().scheme(scheme);
            return this;
        }

        @Override
        public UriBuilder userInfo(String userInfo) {
            spring().userInfo(userInfo);
            return this;
        }

        @Override
        public UriBuilder host(String host) {
            spring().host(host);
            return this;
        }

        @Override
        public UriBuilder port(int port) {
            spring().port(port);
            return this;
        }

        @Override
        public UriBuilder port(String port) {
            spring().port(port);
            return this;
        }

        @Override
        public UriBuilder path(String path) {
            spring().path(path);
            return this;
        }

        @Override
        public UriBuilder replacePath(String path) {
            spring().replacePath(path);
            return this;
        }

        @Override
        public UriBuilder pathSegment(String... pathSegments) {
            spring().pathSegment(pathSegments);
            return this;
        }

        @Override
        public UriBuilder query(String query) {
            spring().query(query);
            return this;
        }

        @Override
        public UriBuilder replaceQuery(String query) {
            spring().replaceQuery(query);
            return this;
        }

        @Override
        public UriBuilder queryParam(String name, Object... values) {
            spring().queryParam(name, values);
            return this;
        }

        @Override
        public UriBuilder queryParam(String name, Collection<?> values) {
            spring().queryParam(name, values);
            return this;
        }

        @Override
        public UriBuilder queryParamIfPresent(String name, Optional<?> value) {
            spring().queryParamIfPresent(name, value);
            return this;
        }

        @Override
        public UriBuilder queryParams(MultiValueMap<String, String> params) {
            spring().queryParams(params);
            return this;
        }

        @Override
        public UriBuilder replaceQueryParam(String name, Object... values) {
            spring().replaceQueryParam(name, values);
            return this;
        }

        @Override
        public UriBuilder replaceQueryParam(String name, Collection<?> values) {
            spring().replaceQueryParam(name, values);
            return this;
        }

        @Override
        public UriBuilder replaceQueryParams(MultiValueMap<String, String> params) {
            spring().replaceQueryParams(params);
            return this;
        }

        @Override
        public UriBuilder fragment(String fragment) {
            spring().fragment(fragment);
            return this;
        }
    }
}
