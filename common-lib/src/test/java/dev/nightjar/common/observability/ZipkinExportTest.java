package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * Spans go to Zipkin only where the platform asks for it, and then as encoded, without compression: a deployment
 * exporting to its OTLP collector does not also post to a Zipkin that is not there.
 */
class ZipkinExportTest {

    private final List<Request> received = new CopyOnWriteArrayList<>();
    private HttpServer zipkin;

    record Request(String method, String path, String contentType, String contentEncoding, byte[] body) {
    }

    @AfterEach
    void stop() {
        if (zipkin != null) {
            zipkin.stop(0);
        }
    }

    @Test
    void aDeploymentExportingOverOtlpHasNoZipkinExporter() {
        runner().withPropertyValues("management.tracing.export.enabled=true",
                        "management.opentelemetry.tracing.export.otlp.endpoint=http://collector:4318/v1/traces")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ZipkinSpanExporter.class);
                });
    }

    @Test
    void theLocalPlatformsSettingsExportThroughThePlainSender() {
        runner().withPropertyValues("management.tracing.export.enabled=true", "management.tracing.export.zipkin.enabled=true",
                        "management.tracing.export.zipkin.endpoint=http://127.0.0.1:9/api/v2/spans",
                        "management.tracing.export.zipkin.encoding=PROTO3")
                .run(context -> {
                    assertThat(context).hasSingleBean(ZipkinSpanExporter.class);
                    assertThat(context.getBean(BytesMessageSender.class)).isInstanceOf(PlainZipkinSender.class)
                            .extracting(BytesMessageSender::encoding).isEqualTo(Encoding.PROTO3);
                });
    }

    @Test
    void aBatchIsPostedAsEncodedWithoutCompression() throws Exception {
        start(202);
        List<Span> spans = spans(40);
        List<byte[]> encoded = spans.stream().map(SpanBytesEncoder.PROTO3::encode).toList();
        try (PlainZipkinSender sender = sender()) {
            sender.send(encoded);
        }

        assertThat(received).hasSize(1);
        Request request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v2/spans");
        assertThat(request.contentType()).isEqualTo("application/x-protobuf");
        assertThat(request.contentEncoding()).as("no Content-Encoding: the body is not compressed").isNull();
        assertThat(request.body()).as("over the 1 KB from which Spring Boot's sender compresses").hasSizeGreaterThan(1024)
                .isEqualTo(Encoding.PROTO3.encode(encoded));
        assertThat(SpanBytesDecoder.PROTO3.decodeList(request.body())).isEqualTo(spans);
    }

    @Test
    void aRefusedBatchIsAnError() throws Exception {
        start(503);
        try (PlainZipkinSender sender = sender()) {
            assertThatThrownBy(() -> sender.send(List.of(SpanBytesEncoder.PROTO3.encode(spans(1).get(0)))))
                    .isInstanceOf(IOException.class).hasMessageContaining("HTTP 503");
        }
    }

    @Test
    void aBatchSentOnAConnectionZipkinClosedAsIdleIsSentAgainOnANewOne() throws Exception {
        // Zipkin answers the first batch and keeps the connection; it reads the second batch on it and closes
        // without an answer, as when its idle timeout and the batch cross; a new connection is served
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        int connection = connections.incrementAndGet();
                        InputStream in = socket.getInputStream();
                        bodies.add(readRequest(in));
                        socket.getOutputStream().write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        if (connection == 1) {
                            bodies.add(readRequest(in));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            byte[] first = SpanBytesEncoder.PROTO3.encode(spans(1).get(0));
            byte[] second = SpanBytesEncoder.PROTO3.encode(spans(2).get(1));
            try (PlainZipkinSender sender = new PlainZipkinSender(Encoding.PROTO3,
                    "http://127.0.0.1:" + server.getLocalPort() + "/api/v2/spans", Duration.ofSeconds(1), Duration.ofSeconds(5))) {
                sender.send(List.of(first));
                sender.send(List.of(second));
            }
            assertThat(connections).hasValue(2);
            assertThat(bodies).hasSize(3);
            assertThat(bodies.get(2)).isEqualTo(Encoding.PROTO3.encode(List.of(second)));
        }
    }

    /** One request's body, its headers read up to the blank line and its Content-Length honoured. */
    private static byte[] readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a request");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return in.readNBytes(length);
    }

    /** Boot's Zipkin auto-configuration and its OpenTelemetry exporter, with Nightjar's defaults below the test's settings. */
    private static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ZipkinExportConfiguration.class, ZipkinAutoConfiguration.class,
                        ZipkinWithOpenTelemetryTracingAutoConfiguration.class))
                .withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addLast(NightjarEnvironmentPostProcessor.defaults()));
    }

    private PlainZipkinSender sender() {
        return new PlainZipkinSender(Encoding.PROTO3, "http://127.0.0.1:" + zipkin.getAddress().getPort() + "/api/v2/spans",
                Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    private void start(int status) throws IOException {
        zipkin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        zipkin.createContext("/api/v2/spans", exchange -> {
            try (exchange) {
                received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Content-Encoding"), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        zipkin.start();
    }

    private static List<Span> spans(int count) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            spans.add(Span.newBuilder().traceId("4bf92f3577b34da6a3ce929d0e0e4736").id(Long.toHexString(0x1000 + i))
                    .name("http post /internal/v1/payments").kind(Span.Kind.SERVER).timestamp(1_764_950_400_000_000L + i)
                    .duration(1_250 + i).localEndpoint(Endpoint.newBuilder().serviceName("transaction-service").build())
                    .putTag("payment.id", "pay_" + i).build());
        }
        return spans;
    }
}
