package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.error.ApiException;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Two services on Tomcat, one with Spring MVC's dispatch alone and one with {@link DirectDispatch} in front of it,
 * answer the same requests the same way, byte for byte and header for header, with the same path pattern and path
 * variables left for the observation; and the plain requests, the ones Nightjar's services send each other, never
 * reach the dispatcher servlet in the second, while every other one does.
 */
class DirectDispatchTest {

    record Order(String paymentId, long amountMinor, String currency, List<String> tags) {
    }

    @RestController
    static class Orders {
        @PostMapping("/internal/v1/orders")
        @ResponseStatus(HttpStatus.CREATED)
        Order create(@RequestBody Order order) {
            if ("refuse".equals(order.paymentId())) {
                throw ApiException.invalidParameter("payment_id", "Refused: " + order.paymentId());
            }
            if ("crash".equals(order.paymentId())) {
                throw new IllegalStateException("crashed");
            }
            return order;
        }

        @GetMapping("/internal/v1/orders")
        Order latest() {
            return new Order("pay_latest", 1, "EUR", List.of());
        }

        @PostMapping("/internal/v1/orders/{orderId}/notes")
        ResponseEntity<Order> note(@PathVariable String orderId, @RequestBody(required = false) Order order,
                                   @RequestHeader(name = "Prefer", required = false) String prefer,
                                   @RequestAttribute(name = "caller", required = false) String caller) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).header("Seen", orderId + "/" + prefer + "/" + caller)
                    .body(order == null ? new Order(orderId, 0, null, List.of()) : order);
        }

        @PostMapping("/internal/v1/orders/{orderId}/callers/{callerId}")
        Order calledBy(@PathVariable("callerId") String who, @PathVariable String orderId,
                       @RequestAttribute("caller") String caller, @RequestBody Order order) {
            return new Order(orderId + "-" + who + "-" + caller, order.amountMinor(), order.currency(), order.tags());
        }

        @PostMapping("/internal/v1/items/{itemId}")
        Order item(@PathVariable String itemId, @RequestBody Order order) {
            return new Order("item " + itemId, order.amountMinor(), null, List.of());
        }

        @PostMapping("/internal/v1/items/special")
        Order special(@RequestBody Order order) {
            return new Order("special", order.amountMinor(), null, List.of());
        }

        @PostMapping(path = "/internal/v1/produced", produces = "application/json")
        Order produced(@RequestBody Order order) {
            return order;
        }

        @PostMapping("/internal/v1/parameters")
        Order parameters(@RequestParam("id") String id, @RequestBody Order order) {
            return new Order(id, order.amountMinor(), null, List.of());
        }

        @PostMapping("/internal/v1/nothing")
        Order nothing(@RequestBody Order order) {
            return null;
        }
    }

    /** What the dispatcher servlet dispatched, and what each request left for its observation. */
    static final class Seen implements HandlerInterceptor {
        final AtomicInteger dispatched = new AtomicInteger();
        final Map<String, String> left = new ConcurrentHashMap<>();

        @Override
        public boolean preHandle(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                                 Object handler) {
            dispatched.incrementAndGet();
            return true;
        }

        /** A filter in front of everything: a {@code Caller} header becomes the attribute a caller check would set. */
        Filter recorder() {
            return (request, response, chain) -> {
                String caller = ((HttpServletRequest) request).getHeader("Caller");
                if (caller != null) {
                    request.setAttribute("caller", caller);
                }
                chain.doFilter(request, response);
                String id = ((HttpServletRequest) request).getHeader("Call");
                if (id != null) {
                    left.put(id, request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) + " "
                            + request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
    @Import({Orders.class, ApiExceptionHandler.class})
    static class Spring {
        @Bean
        Seen seen() {
            return new Seen();
        }

        @Bean
        WebMvcConfigurer interceptors(Seen seen) {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(seen);
                }
            };
        }

        @Bean
        FilterRegistrationBean<Filter> recorder(Seen seen) {
            var registration = new FilterRegistrationBean<>(seen.recorder());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    /** The same service with the direct dispatch as the services' configuration registers it. */
    @Configuration(proxyBeanMethods = false)
    @Import(Spring.class)
    static class Direct {
        @Bean
        FilterRegistrationBean<DirectDispatch> directDispatch(org.springframework.context.ApplicationContext context) {
            var registration = new FilterRegistrationBean<>(DirectDispatch.of(context));
            registration.setOrder(Ordered.LOWEST_PRECEDENCE);
            return registration;
        }
    }

    private static ConfigurableApplicationContext spring;
    private static ConfigurableApplicationContext direct;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        spring = start(Spring.class);
        direct = start(Direct.class);
    }

    @AfterAll
    static void stop() {
        spring.close();
        direct.close();
    }

    private static ConfigurableApplicationContext start(Class<?> app) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app).run("--server.port=0",
                "--nightjar.tls.enabled=false", "--spring.application.name=direct-dispatch",
                "--logging.level.org.apache.catalina=off", "--logging.level.org.springframework.web=off",
                "--logging.level.dev.nightjar.common.web=off");
        // as the services' configuration installs them, once the adapter is set up
        RequestMappingHandlerAdapter adapter = context.getBean(RequestMappingHandlerAdapter.class);
        ReturnValueHandlersChosenOnce.install(adapter);
        DirectJsonBodies.install(adapter);
        return context;
    }

    private static final String ORDER = "{\"payment_id\":\"pay_1\",\"amount_minor\":1999,\"currency\":\"EUR\","
            + "\"tags\":[\"a\",\"é\",\"😀\"],\"added_later\":true}";
    private static final String JSON = "application/json";

    /** A request: method, path, body (null: none), then header names and values. */
    private record Call(String method, String path, String body, String... headers) {
        @Override
        public String toString() {
            return method + " " + path + " " + Arrays.toString(headers) + " " + body;
        }

        HttpRequest to(ConfigurableApplicationContext context, String id) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Call", id);
            if (headers.length > 0) {
                request.headers(headers);
            }
            return request.build();
        }
    }

    private static final List<Call> PLAIN = List.of(
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", JSON, "Accept", "application/json, application/*+json"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json;charset=UTF-8", "Accept", "*/*"),
            new Call("POST", "/internal/v1/orders", "", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", "null", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", "{\"payment_id\":", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", "{\"amount_minor\":\"lots\"}", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", "{\"payment_id\":\"refuse\"}", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders", "{\"payment_id\":\"crash\"}", "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders/ord_7/notes", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders/ord_7/notes", "", "Content-Type", JSON, "Prefer", "respond-async",
                    "Caller", "risk-service"),
            new Call("POST", "/internal/v1/orders/ord-8~x/callers/cal_9", ORDER, "Content-Type", JSON, "Caller", "vault"),
            new Call("POST", "/internal/v1/orders/ord_8/callers/cal_9", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/nothing", ORDER, "Content-Type", JSON));

    /** The plain calls answered by a {@code ResponseEntity}. */
    private static final List<Call> ENTITIES = List.of(PLAIN.get(9), PLAIN.get(10));

    private static final List<Call> SPRINGS = List.of(
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json; charset=ISO-8859-1"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "text/plain"),
            new Call("POST", "/internal/v1/orders", ORDER),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", JSON, "Accept", "text/plain"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", JSON, "Origin", "https://elsewhere.example"),
            new Call("POST", "/internal/v1/orders/", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1//orders", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders.json", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders/ord%207/notes", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders/ord;v=1/notes", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/orders/ord_7/notes", ORDER, "Content-Type", JSON, "Prefer", "a", "Prefer", "b"),
            new Call("POST", "/internal/v1/items/special", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/items/it_1", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/produced", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/parameters?id=x", ORDER, "Content-Type", JSON),
            new Call("GET", "/internal/v1/orders", null),
            new Call("PUT", "/internal/v1/orders", ORDER, "Content-Type", JSON),
            new Call("POST", "/internal/v1/nowhere", ORDER, "Content-Type", JSON));

    @Test
    void everyRequestIsAnsweredAsSpringMvcAloneAnswersIt() throws Exception {
        List<Call> all = new ArrayList<>(PLAIN);
        all.addAll(SPRINGS);
        int id = 0;
        for (Call call : all) {
            String each = Integer.toString(id++);
            HttpResponse<byte[]> expected = http.send(call.to(spring, each), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> actual = http.send(call.to(direct, each), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(actual.statusCode()).as("%s", call).isEqualTo(expected.statusCode());
            assertThat(new String(actual.body(), StandardCharsets.UTF_8)).as("%s", call)
                    .isEqualTo(new String(expected.body(), StandardCharsets.UTF_8));
            for (String header : List.of("content-type", "content-disposition", "seen", "allow", "vary")) {
                assertThat(actual.headers().allValues(header)).as("%s %s", header, call)
                        .isEqualTo(expected.headers().allValues(header));
            }
            if (ENTITIES.contains(call) && expected.statusCode() == 202) {
                // the one difference: an entity's answer goes out whole with its length, where Spring flushes it chunked
                assertThat(expected.headers().allValues("transfer-encoding")).as("%s", call).containsExactly("chunked");
                assertThat(actual.headers().allValues("transfer-encoding")).as("%s", call).isEmpty();
                assertThat(actual.headers().allValues("content-length")).as("%s", call)
                        .containsExactly(Integer.toString(actual.body().length));
            } else {
                for (String header : List.of("content-length", "transfer-encoding")) {
                    assertThat(actual.headers().allValues(header)).as("%s %s", header, call)
                            .isEqualTo(expected.headers().allValues(header));
                }
            }
            assertThat(direct.getBean(Seen.class).left.get(each)).as("left for the observation: %s", call)
                    .isEqualTo(spring.getBean(Seen.class).left.get(each));
        }
        HttpResponse<String> created = http.send(PLAIN.getFirst().to(direct, "created"), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).startsWith("{\"payment_id\":\"pay_1\",\"amount_minor\":1999").doesNotContain("added_later");
        HttpResponse<String> noted = http.send(PLAIN.get(10).to(direct, "noted"), HttpResponse.BodyHandlers.ofString());
        assertThat(noted.statusCode()).isEqualTo(202);
        assertThat(noted.headers().firstValue("seen")).contains("ord_7/respond-async/risk-service");
        assertThat(direct.getBean(Seen.class).left.get("noted")).isEqualTo("/internal/v1/orders/{orderId}/notes {orderId=ord_7}");
    }

    @Test
    void thePlainRequestsDoNotReachTheDispatcherServletAndTheOthersDo() throws Exception {
        Seen seen = direct.getBean(Seen.class);
        for (Call call : PLAIN) {
            int before = seen.dispatched.get();
            http.send(call.to(direct, "plain"), HttpResponse.BodyHandlers.discarding());
            assertThat(seen.dispatched.get()).as("%s", call).isEqualTo(before);
        }
        for (Call call : SPRINGS) {
            if (call.path().equals("/internal/v1/nowhere") || call.method().equals("PUT") || call.path().contains("//")
                    || call.path().contains(";")) {
                continue; // no handler for it, or refused before one is chosen: nothing to intercept either way
            }
            int before = seen.dispatched.get();
            http.send(call.to(direct, "spring"), HttpResponse.BodyHandlers.discarding());
            assertThat(seen.dispatched.get()).as("%s", call).isGreaterThan(before);
        }
    }

    @Test
    void patternsOverlapWhenSomePathCouldMatchBoth() {
        assertThat(DirectDispatch.mayOverlap("/internal/v1/items/special", "/internal/v1/items/{itemId}")).isTrue();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/items/{itemId}", "/internal/v1/items/special")).isTrue();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/orders/{a}/notes", "/internal/v1/orders/{b}/capture")).isFalse();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/orders", "/internal/v1/orders/{id}")).isFalse();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/orders", "/internal/**")).isTrue();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/orders", "/internal/v1/{name:[a-z]+}")).isTrue();
        assertThat(DirectDispatch.mayOverlap("/internal/v1/orders", "/internal/v1/ord*")).isTrue();
    }
}
