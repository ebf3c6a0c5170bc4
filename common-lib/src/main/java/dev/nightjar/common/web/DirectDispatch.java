package dev.nightjar.common.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.filter.GenericFilterBean;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The services' own plain JSON handler methods called without Spring MVC's dispatch. For each request Spring MVC
 * asks every handler mapping, parses the path again, takes a read lock on its registry, works out the matching
 * conditions, builds a data binder factory, a model container and a session-attribute handler, and walks its
 * argument resolvers and return-value handlers: 12-15 % of an internal hop's CPU at the callee on C1, more than the
 * handler's own work (docs/performance.md, "A hop in the fleet costs four times what it costs alone; internal calls
 * without Spring MVC's dispatch").
 *
 * <p>This filter, the last before the dispatcher servlet, so that every other filter (the caller's check, the
 * in-flight limit, the observation, Spring Security) has already run, serves a request itself when Spring MVC could
 * only have chosen one handler method for it and that method is plain:
 * <ul>
 *   <li>the method is mapped to {@code POST} of one path pattern, with no other condition (parameters, headers,
 *       consumes, produces, versions) and no {@code @CrossOrigin}; its pattern's segments are literals or whole
 *       variables, and no other mapping that takes {@code POST} has a pattern that could match the same path;</li>
 *   <li>its parameters are a plain {@code @RequestBody} record ({@link DirectJsonBodies}), {@code @PathVariable},
 *       {@code @RequestAttribute} and {@code @RequestHeader} strings, each with that one annotation and no default;</li>
 *   <li>it answers a record that {@link DirectJsonBodies} writes, with or without {@code @ResponseStatus}, or a
 *       {@code ResponseEntity} of one;</li>
 *   <li>the request is a plain one: its path of unreserved characters only (no encoding, no parameters, no empty
 *       segment, no extension), no context path, {@code Content-Type} plain JSON, an {@code Accept} JSON answers,
 *       no {@code Origin} (no CORS to apply), and at most one value of each header a parameter reads.</li>
 * </ul>
 * Everything else goes down the chain to Spring MVC, as before. A served request gets what the dispatcher would have
 * given it: the path pattern in its attributes and its observation (the {@code uri} tag of
 * {@code http_server_requests}), its path variables, its body read and its answer written by the same converter,
 * and an exception handled by the same resolvers, {@code @ExceptionHandler}s and advice included. One thing differs,
 * on purpose: a {@code ResponseEntity}'s answer goes out whole with its {@code Content-Length}, where Spring flushes
 * it before the end of the request and so sends it chunked, one more write and its framing for the caller to read.
 */
public final class DirectDispatch extends GenericFilterBean {

    private static final Logger log = LoggerFactory.getLogger(DirectDispatch.class);
    private static final String POST = "POST";

    private final Supplier<RequestMappingHandlerMapping> mapping;
    private final Supplier<RequestMappingHandlerAdapter> adapter;
    private final Supplier<List<HandlerExceptionResolver>> resolvers;
    private volatile Routes routes;

    /**
     * @param mapping   the application's request mappings (not the management server's)
     * @param adapter   their adapter, with {@link DirectJsonBodies} installed
     * @param resolvers the exception resolvers the dispatcher servlet uses, in its order
     */
    public DirectDispatch(Supplier<RequestMappingHandlerMapping> mapping, Supplier<RequestMappingHandlerAdapter> adapter,
                          Supplier<List<HandlerExceptionResolver>> resolvers) {
        this.mapping = mapping;
        this.adapter = adapter;
        this.resolvers = resolvers;
    }

    /**
     * The filter for an application: its request mappings and their adapter (not the management server's), and the
     * exception resolvers the dispatcher servlet finds, all beans of the type, in their order.
     */
    public static DirectDispatch of(ApplicationContext context) {
        return new DirectDispatch(() -> context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class),
                () -> context.getBean("requestMappingHandlerAdapter", RequestMappingHandlerAdapter.class),
                new Supplier<>() {
                    private volatile List<HandlerExceptionResolver> found;

                    @Override
                    public List<HandlerExceptionResolver> get() {
                        List<HandlerExceptionResolver> known = found;
                        if (known == null) {
                            List<HandlerExceptionResolver> all = new ArrayList<>(BeanFactoryUtils
                                    .beansOfTypeIncludingAncestors(context, HandlerExceptionResolver.class, true, false)
                                    .values());
                            AnnotationAwareOrderComparator.sort(all);
                            known = List.copyOf(all);
                            found = known;
                        }
                        return known;
                    }
                });
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && POST.equals(request.getMethod()) && request.getDispatcherType() == DispatcherType.REQUEST) {
            String[] segments = plainSegments(request);
            Route route = segments == null ? null : routes().find(segments);
            MediaType contentType = route == null ? null : route.plainJson(request);
            if (contentType != null) {
                route.serve(segments, contentType, request, response, resolvers.get());
                return;
            }
        }
        chain.doFilter(req, res);
    }

    /** The routes, worked out at the first request: the mappings are complete by then. */
    Routes routes() {
        Routes known = routes;
        if (known == null) {
            synchronized (this) {
                known = routes;
                if (known == null) {
                    known = Routes.of(mapping.get(), adapter.get());
                    routes = known;
                    log.info("serving {} handler method(s) without Spring MVC's dispatch: {}", known.all().size(),
                            known.all().stream().map(route -> "POST " + route.pattern() + " ("
                                    + route.handler().getShortLogMessage() + ")").toList());
                }
            }
        }
        return known;
    }

    /**
     * A request path's segments, when it is plain: no context path, starting with '/', no empty segment, and only
     * letters, digits, '-', '_' and '~' besides the slashes (so nothing to decode, no parameters, no extension and no
     * trailing slash); null otherwise.
     */
    static String[] plainSegments(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null || path.length() < 2 || path.charAt(0) != '/' || !request.getContextPath().isEmpty()) {
            return null;
        }
        int count = 1;
        char previous = '/';
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                if (previous == '/') {
                    return null;
                }
                count++;
            } else if (!unreserved(c)) {
                return null;
            }
            previous = c;
        }
        if (previous == '/') {
            return null;
        }
        String[] segments = new String[count];
        int start = 1;
        for (int i = 0; i < count; i++) {
            int end = path.indexOf('/', start);
            segments[i] = path.substring(start, end < 0 ? path.length() : end);
            start = end + 1;
        }
        return segments;
    }

    /** A letter, a digit, '-', '_' or '~': a character a path carries as itself, with nothing to decode. */
    static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '~';
    }

    /** The plain routes, found by their literal segments. */
    record Routes(List<Route> all) {

        static Routes of(RequestMappingHandlerMapping mapping, RequestMappingHandlerAdapter adapter) {
            DirectJsonBodies bodies = adapter.getArgumentResolvers() == null ? null : adapter.getArgumentResolvers().stream()
                    .filter(DirectJsonBodies.class::isInstance).map(DirectJsonBodies.class::cast).findFirst().orElse(null);
            if (bodies == null) {
                return new Routes(List.of());
            }
            Map<RequestMappingInfo, HandlerMethod> methods = mapping.getHandlerMethods();
            List<String> takingPost = new ArrayList<>();
            methods.keySet().forEach(info -> {
                Set<RequestMethod> verbs = info.getMethodsCondition().getMethods();
                if (verbs.isEmpty() || verbs.contains(RequestMethod.POST)) {
                    takingPost.addAll(info.getPatternValues());
                }
            });
            List<Route> routes = new ArrayList<>();
            methods.forEach((info, method) -> {
                Route route = Route.of(info, method, bodies);
                if (route != null && takingPost.stream().filter(route.pattern()::equals).count() == 1
                        && takingPost.stream().noneMatch(other -> !other.equals(route.pattern())
                                && mayOverlap(route.pattern(), other))) {
                    routes.add(route);
                }
            });
            return new Routes(List.copyOf(routes));
        }

        Route find(String[] segments) {
            for (Route route : all) {
                if (route.matches(segments)) {
                    return route;
                }
            }
            return null;
        }
    }

    /**
     * Whether some path could match both patterns: the same number of segments and, segment by segment, equal literals
     * or a variable on either side. A pattern with anything else in a segment (a wildcard, a regular expression, a
     * variable inside a literal) may match anything.
     */
    static boolean mayOverlap(String pattern, String other) {
        String[] a = pattern.split("/", -1);
        String[] b = other.split("/", -1);
        if (!simple(b)) {
            return true;
        }
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!variable(a[i]) && !variable(b[i]) && !a[i].equals(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean simple(String[] segments) {
        for (String segment : segments) {
            if (!variable(segment) && (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0
                    || segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean variable(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}'
                && segment.substring(1, segment.length() - 1).chars()
                        .allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    /** How a parameter is filled. */
    private enum Source { BODY, PATH, ATTRIBUTE, HEADER }

    private record Argument(Source source, String name, boolean required, MethodParameter parameter,
                            DirectJsonBodies.Converter reader) {
    }

    /**
     * One plain handler method and its pattern: {@code literals[i]} null where segment i is a variable, and
     * {@code variables[i]} that variable's name (null where the segment is a literal).
     */
    record Route(String pattern, String[] literals, String[] variables, HandlerMethod handler, Argument[] arguments,
                 int status, boolean entity, DirectJsonBodies.Converter writer) {

        static Route of(RequestMappingInfo info, HandlerMethod found, DirectJsonBodies bodies) {
            if (!info.getMethodsCondition().getMethods().equals(Set.of(RequestMethod.POST))
                    || info.getPatternValues().size() != 1 || !info.getParamsCondition().isEmpty()
                    || !info.getHeadersCondition().isEmpty() || !info.getConsumesCondition().isEmpty()
                    || !info.getProducesCondition().isEmpty() || info.getCustomCondition() != null
                    || !info.getVersionCondition().isEmpty()) {
                return null;
            }
            HandlerMethod handler = found.getBean() instanceof String ? found.createWithResolvedBean() : found;
            Method method = handler.getMethod();
            if (AnnotatedElementUtils.hasAnnotation(method, CrossOrigin.class)
                    || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), CrossOrigin.class)) {
                return null;
            }
            String pattern = info.getPatternValues().iterator().next();
            String[] parts = pattern.split("/", -1);
            if (parts.length < 2 || !parts[0].isEmpty() || !simple(parts)) {
                return null;
            }
            String[] literals = new String[parts.length - 1];
            String[] names = new String[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                if (variable(parts[i])) {
                    names[i - 1] = parts[i].substring(1, parts[i].length() - 1);
                } else if (parts[i].isEmpty() || !parts[i].chars().allMatch(c -> unreserved((char) c))) {
                    return null;
                } else {
                    literals[i - 1] = parts[i];
                }
            }
            Set<String> variables = new HashSet<>(Arrays.asList(names));
            variables.remove(null);
            MethodParameter[] parameters = handler.getMethodParameters();
            Argument[] arguments = new Argument[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                arguments[i] = argument(parameters[i], variables, bodies);
                if (arguments[i] == null) {
                    return null;
                }
            }
            MethodParameter returned = handler.getReturnType();
            boolean entity = returned.getParameterType() == ResponseEntity.class;
            DirectJsonBodies.Converter writer;
            if (entity) {
                Type type = returned.getGenericParameterType();
                writer = type instanceof ParameterizedType generic && generic.getActualTypeArguments()[0] instanceof Class<?> body
                        ? bodies.answerWriter(body) : null;
            } else {
                writer = bodies.supportsReturnType(returned) ? bodies.answerWriter(returned.getParameterType()) : null;
            }
            ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(method, ResponseStatus.class);
            if (writer == null || (status != null && (entity || !status.reason().isEmpty()))
                    || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseStatus.class)) {
                return null;
            }
            return new Route(pattern, literals, names, handler, arguments, status == null ? 0 : status.code().value(),
                    entity, writer);
        }

        private static Argument argument(MethodParameter parameter, Set<String> variables, DirectJsonBodies bodies) {
            parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
            if (parameter.getParameterAnnotations().length != 1) {
                return null;
            }
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                DirectJsonBodies.Converter reader = bodies.bodyReader(parameter);
                return reader == null ? null : new Argument(Source.BODY, null,
                        parameter.getParameterAnnotation(RequestBody.class).required(), parameter, reader);
            }
            if (parameter.getParameterType() != String.class) {
                return null;
            }
            if (parameter.getParameterAnnotation(PathVariable.class) instanceof PathVariable path) {
                String name = named(path.name(), parameter);
                return !variables.contains(name) || !path.required() ? null
                        : new Argument(Source.PATH, name, true, parameter, null);
            }
            if (parameter.getParameterAnnotation(RequestAttribute.class) instanceof RequestAttribute attribute) {
                return new Argument(Source.ATTRIBUTE, named(attribute.name(), parameter), attribute.required(),
                        parameter, null);
            }
            if (parameter.getParameterAnnotation(RequestHeader.class) instanceof RequestHeader header
                    && ValueConstants.DEFAULT_NONE.equals(header.defaultValue())) {
                return new Argument(Source.HEADER, named(header.name(), parameter), header.required(), parameter, null);
            }
            return null;
        }

        private static String named(String name, MethodParameter parameter) {
            return name.isEmpty() ? parameter.getParameterName() : name;
        }

        boolean matches(String[] segments) {
            if (segments.length != literals.length) {
                return false;
            }
            for (int i = 0; i < literals.length; i++) {
                if (literals[i] != null && !literals[i].equals(segments[i])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The request's content type when it is one this serves as Spring MVC would (JSON both ways, no CORS,
         * single-valued headers); null otherwise.
         */
        MediaType plainJson(HttpServletRequest request) {
            MediaType contentType = DirectJsonBodies.plainJson(request.getContentType());
            if (contentType == null || !DirectJsonBodies.acceptsJson(request.getHeaders(HttpHeaders.ACCEPT))
                    || request.getHeader(HttpHeaders.ORIGIN) != null) {
                return null;
            }
            for (Argument argument : arguments) {
                if (argument.source() == Source.HEADER) {
                    Enumeration<String> values = request.getHeaders(argument.name());
                    if (values.hasMoreElements()) {
                        values.nextElement();
                        if (values.hasMoreElements()) {
                            return null;
                        }
                    }
                }
            }
            return contentType;
        }

        void serve(String[] segments, MediaType contentType, HttpServletRequest request, HttpServletResponse response,
                   List<HandlerExceptionResolver> resolvers) throws IOException, ServletException {
            // in the pattern's order, as Spring MVC leaves them
            Map<String, String> variables = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                if (this.variables[i] != null) {
                    variables.put(this.variables[i], segments[i]);
                }
            }
            request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
            request.setAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE, request.getRequestURI());
            request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
            ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(pattern));
            request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, variables);
            try {
                Object answer = invoke(arguments(variables, contentType, request));
                answer(answer, response);
            } catch (Exception e) {
                handle(e, request, response, resolvers);
            }
        }

        private Object[] arguments(Map<String, String> variables, MediaType contentType, HttpServletRequest request)
                throws Exception {
            Object[] values = new Object[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                Argument argument = arguments[i];
                values[i] = switch (argument.source()) {
                    case BODY -> DirectJsonBodies.read(argument.parameter(), argument.reader(), contentType, request);
                    case PATH -> variables.get(argument.name());
                    case ATTRIBUTE -> attribute(argument, request);
                    case HEADER -> header(argument, request);
                };
            }
            return values;
        }

        private static Object attribute(Argument argument, HttpServletRequest request) throws ServletRequestBindingException {
            Object value = request.getAttribute(argument.name());
            if (value == null && argument.required()) {
                // RequestAttributeMethodArgumentResolver's words
                throw new ServletRequestBindingException("Missing request attribute '" + argument.name()
                        + "' of type " + argument.parameter().getNestedParameterType().getSimpleName());
            }
            return value;
        }

        private static Object header(Argument argument, HttpServletRequest request)
                throws MissingRequestHeaderException {
            String value = request.getHeader(argument.name());
            if (value == null && argument.required()) {
                throw new MissingRequestHeaderException(argument.name(), argument.parameter());
            }
            return value;
        }

        private Object invoke(Object[] values) throws Exception {
            try {
                return handler.getMethod().invoke(handler.getBean(), values);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception thrown) {
                    throw thrown;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }

        private void answer(Object answer, HttpServletResponse response) throws IOException {
            Object body = answer;
            if (entity) {
                ResponseEntity<?> whole = (ResponseEntity<?>) answer;
                if (whole == null) {
                    return;
                }
                response.setStatus(whole.getStatusCode().value());
                whole.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
                body = whole.getBody();
            } else if (status != 0) {
                response.setStatus(status);
            }
            if (body == null) {
                // no body for a null answer, as Spring writes none
                return;
            }
            DirectJsonBodies.write(writer, body, response);
        }

        /** As the dispatcher servlet handles a handler's exception: the resolvers in turn, or thrown on. */
        private void handle(Exception e, HttpServletRequest request, HttpServletResponse response,
                            List<HandlerExceptionResolver> resolvers) throws IOException, ServletException {
            request.removeAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
            try {
                response.setHeader(HttpHeaders.CONTENT_TYPE, null);
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, null);
                response.resetBuffer();
            } catch (IllegalStateException committed) {
                // committed already: left to the resolvers, as Spring does
            }
            for (HandlerExceptionResolver resolver : resolvers) {
                ModelAndView handled = resolver.resolveException(request, response, handler, e);
                if (handled != null) {
                    if (handled.isEmpty()) {
                        request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, e);
                        return;
                    }
                    // an error view: Nightjar renders none, so the exception goes on as an unhandled one would
                    break;
                }
            }
            // thrown on as the dispatcher servlet throws it
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof ServletException servlet) {
                throw servlet;
            }
            throw new ServletException("Request processing failed: " + e, e);
        }
    }
}
