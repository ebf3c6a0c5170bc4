package dev.nightjar.common.web;

import java.lang.reflect.Executable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Spring MVC's return-value handlers, the one for a handler method's answer chosen once per method and type of
 * answer instead of on every request. Spring asks the handlers in turn whether each supports the method's return type
 * on every request, a dozen of them before the one for a {@code ResponseEntity}, one of which resolves the entity's
 * generic type each time: 0.5-1.1 % of each service's CPU (docs/performance.md).
 *
 * <p>The choice is Spring's: the first handler, in Spring's order, that supports the return type; a handler decides
 * by the method, its class and the answer's type, which is what the choice is kept by. Where any handler is one
 * for asynchronous values ({@link AsyncHandlerMethodReturnValueHandler}, which decides by the value itself; Spring
 * MVC 7 has none of its own), every answer is chosen for as Spring would, and nothing is kept.
 */
public final class ReturnValueHandlersChosenOnce implements HandlerMethodReturnValueHandler {

    /** Choices kept: one per handler method and type of answer, far fewer; past this each is made for its answer. */
    private static final int MAX_KEPT = 10_000;

    private final List<HandlerMethodReturnValueHandler> handlers;
    private final boolean anyAsync;
    private final Map<Key, Optional<HandlerMethodReturnValueHandler>> chosen = new ConcurrentHashMap<>();

    public ReturnValueHandlersChosenOnce(List<HandlerMethodReturnValueHandler> handlers) {
        this.handlers = List.copyOf(handlers);
        this.anyAsync = handlers.stream().anyMatch(AsyncHandlerMethodReturnValueHandler.class::isInstance);
    }

    /** Puts the handlers of {@code adapter}, once it is set up, behind one that chooses once. */
    public static void install(RequestMappingHandlerAdapter adapter) {
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        if (handlers != null && !(handlers.size() == 1 && handlers.getFirst() instanceof ReturnValueHandlersChosenOnce)) {
            adapter.setReturnValueHandlers(List.of(new ReturnValueHandlersChosenOnce(handlers)));
        }
    }

    /** The handlers behind this one, in Spring's order. */
    public List<HandlerMethodReturnValueHandler> handlers() {
        return handlers;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return choose(null, returnType).isPresent();
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) throws Exception {
        HandlerMethodReturnValueHandler handler = choose(returnValue, returnType).orElseThrow(() ->
                new IllegalArgumentException("Unknown return value type: " + returnType.getParameterType().getName()));
        handler.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
    }

    private Optional<HandlerMethodReturnValueHandler> choose(Object value, MethodParameter returnType) {
        if (anyAsync) {
            return springsChoice(value, returnType);
        }
        Key key = new Key(returnType);
        Optional<HandlerMethodReturnValueHandler> known = chosen.get(key);
        if (known == null) {
            known = springsChoice(null, returnType);
            if (chosen.size() < MAX_KEPT) {
                chosen.put(key, known);
            }
        }
        return known;
    }

    /** What {@code HandlerMethodReturnValueHandlerComposite} chooses. */
    private Optional<HandlerMethodReturnValueHandler> springsChoice(Object value, MethodParameter returnType) {
        boolean async = anyAsync && handlers.stream().anyMatch(handler ->
                handler instanceof AsyncHandlerMethodReturnValueHandler asyncHandler
                        && asyncHandler.isAsyncReturnValue(value, returnType));
        for (HandlerMethodReturnValueHandler handler : handlers) {
            if (async && !(handler instanceof AsyncHandlerMethodReturnValueHandler)) {
                continue;
            }
            if (handler.supportsReturnType(returnType)) {
                return Optional.of(handler);
            }
        }
        return Optional.empty();
    }

    /**
     * What a handler's decision rests on: the method, the class it is called on, the answer's type, the nesting.
     * Compared by identity: a handler method's {@code Method} is one object for the service's life, and
     * {@code Method.equals} (its class, name, return and parameter types) cost more than the choice it saves.
     */
    private static final class Key {
        private final Executable executable;
        private final int index;
        private final Class<?> containingClass;
        private final Class<?> type;
        private final int nesting;
        private final int hash;

        Key(MethodParameter parameter) {
            this.executable = parameter.getExecutable();
            this.index = parameter.getParameterIndex();
            this.containingClass = parameter.getContainingClass();
            this.type = parameter.getParameterType();
            this.nesting = parameter.getNestingLevel();
            this.hash = (System.identityHashCode(executable) * 31 + System.identityHashCode(type)) * 31
                    + System.identityHashCode(containingClass);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.executable == executable && key.type == type
                    && key.containingClass == containingClass && key.index == index && key.nesting == nesting;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
