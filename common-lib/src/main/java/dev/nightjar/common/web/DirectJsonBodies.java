package dev.nightjar.common.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.reflect.Executable;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;

/**
 * A record read from a JSON request body ({@code @RequestBody}) and a record answered as JSON ({@code @ResponseBody})
 * by Spring's own JSON converter, without the steps around it that such a request does not need. Spring MVC copies
 * every request header into a new {@code HttpHeaders}, parses the {@code Content-Type} and the {@code Accept}
 * header, asks each converter in turn, scans the parameter's annotations for validation and makes a data binder for
 * every body it reads, and negotiates the answer's media type for every one it writes. Leaving those out took 5-6
 * points off risk-service's and the vault's CPU and 2-3 off transaction-service's and auth-service's
 * (docs/performance.md, "JSON bodies read and written by the converter directly").
 *
 * <p>The body is read and written by the converter Spring would choose, with the same type, so the same JSON and the
 * same errors come out: an empty body is "Required request body is missing", malformed JSON the converter's
 * {@link HttpMessageNotReadableException}. Only the plain cases take this way: a parameter whose only annotation is
 * {@code @RequestBody} (nothing to validate) of a record type, sent as {@code application/json} (UTF-8 or no
 * charset); an answer of a record type from a {@code @ResponseBody} method with no {@code produces}, to a request
 * that accepts JSON as Nightjar's clients ask for it ({@code application/json}, {@code application/*+json},
 * {@code *}{@code /*}, or no {@code Accept}) on a path with no extension. Everything else is Spring's
 * {@link RequestResponseBodyMethodProcessor}, as before. Nightjar has no {@code @InitBinder} and no body advice, the
 * two things this way leaves out.
 */
public final class DirectJsonBodies implements HandlerMethodArgumentResolver, HandlerMethodReturnValueHandler {

    private static final Set<String> JSON_ACCEPTED = Set.of("application/json", "application/*+json", "*/*");

    private final RequestResponseBodyMethodProcessor spring;
    private final List<HttpMessageConverter<?>> converters;
    private final Map<Executable, Map<Integer, Converter>> readers = new ConcurrentHashMap<>();
    private final Map<Executable, Converter> writers = new ConcurrentHashMap<>();

    DirectJsonBodies(RequestResponseBodyMethodProcessor spring, List<HttpMessageConverter<?>> converters) {
        this.spring = spring;
        this.converters = List.copyOf(converters);
    }

    /**
     * Puts this ahead of Spring's body processor among {@code adapter}'s argument resolvers and return-value
     * handlers, once it is set up; the handlers may already sit behind {@link ReturnValueHandlersChosenOnce}.
     */
    public static void install(RequestMappingHandlerAdapter adapter) {
        List<HandlerMethodArgumentResolver> resolvers = adapter.getArgumentResolvers();
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        if (resolvers == null || handlers == null || resolvers.stream().anyMatch(DirectJsonBodies.class::isInstance)) {
            return;
        }
        resolvers.stream().filter(RequestResponseBodyMethodProcessor.class::isInstance)
                .map(RequestResponseBodyMethodProcessor.class::cast).findFirst()
                .ifPresent(spring -> install(adapter, spring));
    }

    /** Installs this with {@code spring} as the processor everything but the plain cases goes to. */
    static void install(RequestMappingHandlerAdapter adapter, RequestResponseBodyMethodProcessor spring) {
        List<HandlerMethodArgumentResolver> resolvers = adapter.getArgumentResolvers();
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        DirectJsonBodies direct = new DirectJsonBodies(spring, adapter.getMessageConverters());
        adapter.setArgumentResolvers(prepend(direct, resolvers));
        if (handlers.size() == 1 && handlers.getFirst() instanceof ReturnValueHandlersChosenOnce chosenOnce) {
            adapter.setReturnValueHandlers(List.of(new ReturnValueHandlersChosenOnce(prepend(direct, chosenOnce.handlers()))));
        } else {
            adapter.setReturnValueHandlers(prepend(direct, handlers));
        }
    }

    private static <T> List<T> prepend(T first, List<T> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterAnnotations().length == 1 && parameter.hasParameterAnnotation(RequestBody.class)
                && parameter.getParameterType().isRecord() && reader(parameter) != null;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        MediaType contentType = request == null ? null : plainJson(request.getContentType());
        Converter reader = reader(parameter);
        if (contentType == null || reader == null) {
            return spring.resolveArgument(parameter, mavContainer, webRequest, binderFactory);
        }
        return read(parameter, reader, contentType, request);
    }

    /** The converter this reads a plain {@code @RequestBody} parameter with; null where Spring's processor reads it. */
    Converter bodyReader(MethodParameter parameter) {
        return supportsParameter(parameter) ? reader(parameter) : null;
    }

    /** Reads {@code parameter}'s body from a request sent as {@code contentType}, plain JSON, as Spring would. */
    static Object read(MethodParameter parameter, Converter reader, MediaType contentType, HttpServletRequest request)
            throws IOException {
        PushbackInputStream body = new PushbackInputStream(request.getInputStream(), 1);
        Body message = new Body(contentType, body);
        int first = body.read();
        Object read = null;
        if (first >= 0) {
            body.unread(first);
            read = reader.converter().read(reader.type(), message, null);
        }
        // an empty body, or the JSON null, is no body to Spring
        if (read == null && parameter.getParameterAnnotation(RequestBody.class).required()) {
            throw new HttpMessageNotReadableException("Required request body is missing: "
                    + parameter.getExecutable().toGenericString(), message);
        }
        return read;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return returnType.getParameterType().isRecord()
                && (returnType.hasMethodAnnotation(ResponseBody.class)
                        || AnnotatedElementUtils.hasAnnotation(returnType.getContainingClass(), ResponseBody.class))
                && writer(returnType) != null;
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) throws Exception {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        Converter writer = writer(returnType);
        if (returnValue == null || request == null || response == null || writer == null
                || request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE) != null
                || !acceptsJson(request.getHeaders(HttpHeaders.ACCEPT)) || !plainPath(request.getRequestURI())) {
            spring.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
            return;
        }
        mavContainer.setRequestHandled(true);
        write(writer, returnValue, response);
    }

    /** The converter a record of type {@code answer} is written with as JSON; null where Spring would choose another. */
    Converter answerWriter(Class<?> answer) {
        return answer.isRecord() ? writerOf(answer).orNull() : null;
    }

    /** Writes {@code answer} as {@code application/json}, as Spring's processor writes it to a request accepting JSON. */
    static void write(Converter writer, Object answer, HttpServletResponse response) throws IOException {
        writer.converter().write(answer, writer.type(), MediaType.APPLICATION_JSON, new ServletServerHttpResponse(response),
                null);
    }

    /** The converter Spring would read this parameter with from JSON, if it is a smart one; else none. */
    private Converter reader(MethodParameter parameter) {
        return readers.computeIfAbsent(parameter.getExecutable(), executable -> new ConcurrentHashMap<>())
                .computeIfAbsent(parameter.getParameterIndex(), index -> first(ResolvableType.forMethodParameter(parameter),
                        generic -> generic.canRead(parameter.getNestedGenericParameterType(), parameter.getContainingClass(),
                                MediaType.APPLICATION_JSON),
                        (smart, type) -> smart.canRead(type, MediaType.APPLICATION_JSON),
                        base -> base.canRead(parameter.getParameterType(), MediaType.APPLICATION_JSON)))
                .orNull();
    }

    /** The converter Spring would write this method's answer with as JSON, if it is a smart one; else none. */
    private Converter writer(MethodParameter returnType) {
        return writers.computeIfAbsent(returnType.getExecutable(), executable -> writerOf(returnType.getParameterType()))
                .orNull();
    }

    private Converter writerOf(Class<?> answer) {
        return first(ResolvableType.forType(answer),
                generic -> generic.canWrite(answer, answer, MediaType.APPLICATION_JSON),
                (smart, type) -> smart.canWrite(type, answer, MediaType.APPLICATION_JSON),
                base -> base.canWrite(answer, MediaType.APPLICATION_JSON));
    }

    /** The first converter that takes the type, as Spring asks them in turn: kept if it is a smart one. */
    private Converter first(ResolvableType type, Predicate<GenericHttpMessageConverter<?>> generic,
                            BiPredicate<SmartHttpMessageConverter<?>, ResolvableType> smart,
                            Predicate<HttpMessageConverter<?>> base) {
        for (HttpMessageConverter<?> converter : converters) {
            if (converter instanceof GenericHttpMessageConverter<?> each) {
                if (generic.test(each)) {
                    return Converter.NONE;
                }
            } else if (converter instanceof SmartHttpMessageConverter<?> each) {
                if (smart.test(each, type)) {
                    return new Converter(each, type);
                }
            } else if (base.test(converter)) {
                return Converter.NONE;
            }
        }
        return Converter.NONE;
    }

    /** {@code application/json}, bare or with a UTF-8 charset, as read; anything else is Spring's to judge. */
    static MediaType plainJson(String contentType) {
        if (contentType == null) {
            return null;
        }
        String value = contentType.strip().toLowerCase(Locale.ROOT);
        if (value.equals("application/json")) {
            return MediaType.APPLICATION_JSON;
        }
        if (value.startsWith("application/json;")) {
            String parameter = value.substring("application/json;".length()).strip().replace(" ", "");
            if (parameter.equals("charset=utf-8") || parameter.equals("charset=\"utf-8\"")) {
                return new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * No {@code Accept}, or one of only the types JSON answers and naming {@code application/json} or any type: the
     * answer Spring would negotiate is then {@code application/json}.
     */
    static boolean acceptsJson(Enumeration<String> accept) {
        if (accept == null || !accept.hasMoreElements()) {
            return true;
        }
        boolean json = false;
        while (accept.hasMoreElements()) {
            for (String type : accept.nextElement().split(",")) {
                String each = type.strip().toLowerCase(Locale.ROOT);
                if (!JSON_ACCEPTED.contains(each)) {
                    return false;
                }
                json |= !each.equals("application/*+json");
            }
        }
        return json;
    }

    /** A path whose last segment has no extension and no parameters: Spring adds no {@code Content-Disposition}. */
    static boolean plainPath(String uri) {
        if (uri == null) {
            return false;
        }
        String last = uri.substring(uri.lastIndexOf('/') + 1);
        return last.indexOf('.') < 0 && last.indexOf(';') < 0 && last.indexOf('%') < 0;
    }

    /** A converter and the type it reads or writes; {@link #NONE} where Spring would choose another. */
    record Converter(SmartHttpMessageConverter<?> smart, ResolvableType type) {
        static final Converter NONE = new Converter(null, null);

        @SuppressWarnings("unchecked")
        SmartHttpMessageConverter<Object> converter() {
            return (SmartHttpMessageConverter<Object>) smart;
        }

        Converter orNull() {
            return smart == null ? null : this;
        }
    }

    /** The request's body with its content type: all a JSON converter reads. */
    private record Body(MediaType contentType, InputStream body) implements HttpInputMessage {
        @Override
        public InputStream getBody() throws IOException {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(contentType);
            return headers;
        }
    }
}
