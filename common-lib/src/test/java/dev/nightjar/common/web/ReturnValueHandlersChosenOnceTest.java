package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The handler chosen for each answer is the one Spring's own composite of the same handlers chooses. */
class ReturnValueHandlersChosenOnceTest {

    record Answer(String id) {
    }

    @RestController
    static class Api {
        public ResponseEntity<Answer> entity() { return null; }
        public Answer body() { return null; }
        @ResponseStatus(HttpStatus.NO_CONTENT)
        public void nothing() { }
        public ResponseEntity<StreamingResponseBody> stream() { return null; }
        public ResponseBodyEmitter emitter() { return null; }
        public Callable<String> callable() { return null; }
        public DeferredResult<String> deferred() { return null; }
        public HttpHeaders headers() { return null; }
        public Object anything() { return null; }
        public Optional<Answer> maybe() { return null; }
    }

    @Controller
    static class Pages {
        public String view() { return null; }
        public ModelAndView modelAndView() { return null; }
        @ResponseBody
        public String text() { return null; }
        public Object anything() { return null; }
    }

    private final List<String> handled = new ArrayList<>();
    private final AtomicInteger asked = new AtomicInteger();
    private List<HandlerMethodReturnValueHandler> recording;

    @BeforeEach
    void springsHandlers() {
        recording = adapter().getReturnValueHandlers().stream().map(this::recorded).toList();
        assertThat(recording).hasSizeGreaterThan(10);
    }

    /** An adapter set up as Spring MVC sets up a service's, with Spring's handlers in Spring's order. */
    private static RequestMappingHandlerAdapter adapter() {
        GenericWebApplicationContext context = new GenericWebApplicationContext();
        context.refresh();
        RequestMappingHandlerAdapter adapter = new RequestMappingHandlerAdapter();
        adapter.setApplicationContext(context);
        adapter.afterPropertiesSet();
        return adapter;
    }

    @Test
    void eachAnswerGoesToTheHandlerSpringWouldChooseAgainAndAgain() throws Exception {
        HandlerMethodReturnValueHandlerComposite spring = new HandlerMethodReturnValueHandlerComposite().addHandlers(recording);
        ReturnValueHandlersChosenOnce ours = new ReturnValueHandlersChosenOnce(recording);
        List<Object> values = new ArrayList<>(java.util.Arrays.asList(null, "text", new Answer("a"),
                ResponseEntity.ok(new Answer("b")), new ModelAndView("v"), new HttpHeaders(), new ResponseBodyEmitter(),
                (Callable<String>) () -> "c", new DeferredResult<String>(), Optional.of(new Answer("d"))));
        int compared = 0;
        for (int round = 0; round < 3; round++) {
            for (Object controller : List.of(new Api(), new Pages())) {
                for (Method method : controller.getClass().getDeclaredMethods()) {
                    for (Object value : values) {
                        if (value != null && !method.getReturnType().isInstance(value) && method.getReturnType() != void.class) {
                            continue;
                        }
                        MethodParameter returnType = new HandlerMethod(controller, method).getReturnValueType(value);
                        String springs = handledBy(spring, value, returnType);
                        String ourChoice = handledBy(ours, value, returnType);
                        assertThat(ourChoice).as(method.getName() + " answering " + value).isEqualTo(springs);
                        assertThat(ours.supportsReturnType(returnType)).isEqualTo(spring.supportsReturnType(returnType));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(60);
    }

    @Test
    void theHandlersAreAskedOnceForAMethodAndAType() throws Exception {
        ReturnValueHandlersChosenOnce ours = new ReturnValueHandlersChosenOnce(recording);
        Method entity = Api.class.getMethod("entity");
        Method anything = Api.class.getMethod("anything");

        handledBy(ours, null, new HandlerMethod(new Api(), entity).getReturnValueType(null));
        handledBy(ours, "x", new HandlerMethod(new Api(), anything).getReturnValueType("x"));
        int afterFirst = asked.get();
        for (int i = 0; i < 100; i++) {
            handledBy(ours, null, new HandlerMethod(new Api(), entity).getReturnValueType(null));
            handledBy(ours, "y", new HandlerMethod(new Api(), anything).getReturnValueType("y"));
        }
        assertThat(asked.get()).isEqualTo(afterFirst);

        // another type of answer from the same method is chosen for anew
        assertThat(handledBy(ours, ResponseEntity.ok("z"), new HandlerMethod(new Api(), anything).getReturnValueType(ResponseEntity.ok("z"))))
                .isNotEqualTo(handledBy(ours, "z", new HandlerMethod(new Api(), anything).getReturnValueType("z")));
    }

    @Test
    void anAnswerNoHandlerTakesIsRefusedAsSpringRefusesIt() throws Exception {
        List<HandlerMethodReturnValueHandler> none = List.of();
        MethodParameter returnType = new HandlerMethod(new Api(), Api.class.getMethod("body")).getReturnValueType(null);
        Throwable springs = catchThrowable(() -> new HandlerMethodReturnValueHandlerComposite().addHandlers(none)
                .handleReturnValue(null, returnType, new ModelAndViewContainer(), null));
        Throwable ours = catchThrowable(() -> new ReturnValueHandlersChosenOnce(none)
                .handleReturnValue(null, returnType, new ModelAndViewContainer(), null));
        assertThat(ours).isInstanceOf(springs.getClass()).hasMessage(springs.getMessage());
    }

    @Test
    void installingPutsOneInFrontOfTheAdaptersHandlersOnce() {
        RequestMappingHandlerAdapter adapter = adapter();
        List<HandlerMethodReturnValueHandler> springs = adapter.getReturnValueHandlers();

        ReturnValueHandlersChosenOnce.install(adapter);
        ReturnValueHandlersChosenOnce.install(adapter);

        assertThat(adapter.getReturnValueHandlers()).singleElement().isInstanceOfSatisfying(ReturnValueHandlersChosenOnce.class,
                chosen -> assertThat(chosen.handlers()).containsExactlyElementsOf(springs));
    }

    private String handledBy(HandlerMethodReturnValueHandler handlers, Object value, MethodParameter returnType) throws Exception {
        handled.clear();
        try {
            handlers.handleReturnValue(value, returnType, new ModelAndViewContainer(), null);
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
        assertThat(handled).hasSize(1);
        return handled.getFirst();
    }

    /** Answers as {@code handler} would whether it takes a type; records that it was given an answer. */
    private HandlerMethodReturnValueHandler recorded(HandlerMethodReturnValueHandler handler) {
        String name = handler.getClass().getSimpleName() + "@" + System.identityHashCode(handler);
        return new HandlerMethodReturnValueHandler() {
            @Override
            public boolean supportsReturnType(MethodParameter returnType) {
                asked.incrementAndGet();
                return handler.supportsReturnType(returnType);
            }

            @Override
            public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                          NativeWebRequest webRequest) {
                handled.add(name);
            }
        };
    }
}
