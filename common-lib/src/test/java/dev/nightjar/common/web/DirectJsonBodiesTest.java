package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.JsonViewRequestBodyAdvice;
import org.springframework.web.servlet.mvc.method.annotation.JsonViewResponseBodyAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor;

/**
 * Two services on Tomcat, one with Spring's body processing alone and one with {@link DirectJsonBodies} ahead of
 * it, answer the same requests the same way, byte for byte and header for header; and the plain requests, the
 * ones Nightjar's services send each other, do not reach Spring's processor in the second.
 */
class DirectJsonBodiesTest {

    record Card(String brand, String last4) {
    }

    record Order(String paymentId, long amountMinor, String currency, List<String> tags, Card card) {
    }

    @RestController
    static class Orders {
        @PostMapping("/internal/v1/orders")
        @ResponseStatus(HttpStatus.CREATED)
        Order create(@RequestBody Order order) {
            return order;
        }

        @PostMapping("/internal/v1/orders/optional")
        Order optional(@RequestBody(required = false) Order order) {
            return order == null ? new Order("none", 0, null, List.of(), null) : order;
        }

        @GetMapping("/internal/v1/orders/{id}")
        Order find(@PathVariable String id) {
            return new Order(id, 1999, "EUR", List.of("é", "😀"), new Card("visa", "4242"));
        }

        @PostMapping(path = "/internal/v1/orders/produced", produces = "application/json")
        Order produced(@RequestBody Order order) {
            return order;
        }

        @GetMapping("/internal/v1/nothing")
        Order nothing() {
            return null;
        }
    }

    /** Spring's processor, as Spring MVC makes it, counting what reaches it. */
    static final class CountingProcessor extends RequestResponseBodyMethodProcessor {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();

        CountingProcessor(RequestMappingHandlerAdapter adapter) {
            super(adapter.getMessageConverters(), List.of(new JsonViewRequestBodyAdvice(), new JsonViewResponseBodyAdvice()));
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest, WebDataBinderFactory binderFactory) throws Exception {
            reads.incrementAndGet();
            return super.resolveArgument(parameter, mavContainer, webRequest, binderFactory);
        }

        @Override
        public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest) throws java.io.IOException,
                org.springframework.web.HttpMediaTypeNotAcceptableException {
            writes.incrementAndGet();
            super.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class})
    @Import({Orders.class, ApiExceptionHandler.class})
    static class Spring {
    }

    private static ConfigurableApplicationContext spring;
    private static ConfigurableApplicationContext direct;
    private static CountingProcessor processor;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        spring = start(Spring.class);
        direct = start(Spring.class);
        // as the services' configuration installs it, once the adapter is set up
        RequestMappingHandlerAdapter adapter = direct.getBean(RequestMappingHandlerAdapter.class);
        ReturnValueHandlersChosenOnce.install(adapter);
        processor = new CountingProcessor(adapter);
        DirectJsonBodies.install(adapter, processor);
    }

    @AfterAll
    static void stop() {
        spring.close();
        direct.close();
    }

    private static ConfigurableApplicationContext start(Class<?> app) {
        return new SpringApplicationBuilder(app).run("--server.port=0", "--nightjar.tls.enabled=false",
                "--spring.application.name=direct-json-bodies", "--logging.level.org.apache.catalina=off",
                "--logging.level.org.springframework.web=off");
    }

    private static final String ORDER = "{\"payment_id\":\"pay_1\",\"amount_minor\":1999,\"currency\":\"EUR\","
            + "\"tags\":[\"a\",\"é\",\"😀\"],\"card\":{\"brand\":\"visa\",\"last4\":\"4242\"},\"added_later\":true}";

    /** A request: method, path, body (null: none), then header names and values. */
    private record Call(String method, String path, String body, String... headers) {
        @Override
        public String toString() {
            return method + " " + path + " " + java.util.Arrays.toString(headers) + " " + body;
        }

        HttpRequest to(ConfigurableApplicationContext context) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (headers.length > 0) {
                request.headers(headers);
            }
            return request.build();
        }
    }

    private static final List<Call> PLAIN = List.of(
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json",
                    "Accept", "application/json, application/*+json"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json;charset=UTF-8", "Accept", "*/*"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "Application/JSON; charset=utf-8",
                    "Accept", "application/json"),
            new Call("POST", "/internal/v1/orders", "", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", "null", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", "{\"payment_id\":", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", "{\"payment_id\":\"pay_1\",\"amount_minor\":\"lots\"}",
                    "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", "{\"card\":{\"brand\":[1]}}", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders", "[1,2]", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders/optional", "", "Content-Type", "application/json"),
            new Call("POST", "/internal/v1/orders/optional", ORDER, "Content-Type", "application/json"),
            new Call("GET", "/internal/v1/orders/pay_2", null),
            new Call("GET", "/internal/v1/orders/pay_2", null, "Accept", "application/json"));

    private static final List<Call> SPRINGS = List.of(
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json; charset=ISO-8859-1"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "text/plain"),
            new Call("POST", "/internal/v1/orders", ORDER),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json", "Accept", "text/plain"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json", "Accept", "application/*+json"),
            new Call("POST", "/internal/v1/orders", ORDER, "Content-Type", "application/json",
                    "Accept", "application/json;q=0.5, text/html"),
            new Call("POST", "/internal/v1/orders/produced", ORDER, "Content-Type", "application/json"),
            new Call("GET", "/internal/v1/orders/pay_2.txt", null),
            new Call("GET", "/internal/v1/orders/pay_2.json", null, "Accept", "application/json"),
            new Call("GET", "/internal/v1/nothing", null));

    @Test
    void everyRequestIsAnsweredAsSpringAloneAnswersIt() throws Exception {
        List<Call> all = new ArrayList<>(PLAIN);
        all.addAll(SPRINGS);
        for (Call call : all) {
            HttpResponse<byte[]> expected = http.send(call.to(spring), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> actual = http.send(call.to(direct), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(actual.statusCode()).as("%s", call).isEqualTo(expected.statusCode());
            assertThat(new String(actual.body(), java.nio.charset.StandardCharsets.UTF_8)).as("%s", call)
                    .isEqualTo(new String(expected.body(), java.nio.charset.StandardCharsets.UTF_8));
            for (String header : List.of("content-type", "content-length", "content-disposition", "transfer-encoding")) {
                assertThat(actual.headers().allValues(header)).as("%s %s", header, call)
                        .isEqualTo(expected.headers().allValues(header));
            }
        }
        HttpResponse<String> created = http.send(PLAIN.getFirst().to(direct), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).startsWith("{\"payment_id\":\"pay_1\",\"amount_minor\":1999").contains("\"😀\"")
                .doesNotContain("added_later");
    }

    @Test
    void thePlainRequestsDoNotReachSpringsProcessorAndTheOthersDo() throws Exception {
        for (Call call : PLAIN) {
            int reads = processor.reads.get();
            int writes = processor.writes.get();
            http.send(call.to(direct), HttpResponse.BodyHandlers.discarding());
            assertThat(processor.reads.get() + processor.writes.get()).as("%s", call)
                    .isEqualTo(reads + writes);
        }
        for (Call call : SPRINGS) {
            int before = processor.reads.get() + processor.writes.get();
            http.send(call.to(direct), HttpResponse.BodyHandlers.discarding());
            assertThat(processor.reads.get() + processor.writes.get()).as("%s", call).isGreaterThan(before);
        }
    }
}
