package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * A request's body goes out whole with its length, and a peer that drops the connection while the body is on its
 * way is the I/O error it is for every caller ({@code ResourceAccessException}, "no answer"), which its
 * outcome-unknown handling already covers.
 */
class WholeBodiesTest {

    /** Far more than the loopback's socket buffers hold, so the body is still being written when the peer resets. */
    private static final int BODY_CHARS = 32 * 1024 * 1024;

    @Test
    void aConnectionResetWhileTheBodyIsWrittenIsAnIoErrorOfTheCall() throws Exception {
        CountDownLatch bodyStarted = new CountDownLatch(1);
        try (ServerSocket peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> resetAfterTheFirstBytes(peer, bodyStarted));
            RestClient client = RestClient.builder()
                    .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null))
                    .baseUrl("http://127.0.0.1:" + peer.getLocalPort())
                    .build();

            assertThatThrownBy(() -> client.post().uri("/v1/anything").body(Map.of("note", "x".repeat(BODY_CHARS)))
                    .retrieve().toBodilessEntity())
                    .isInstanceOf(ResourceAccessException.class)
                    .hasRootCauseInstanceOf(java.net.SocketException.class);
            assertThat(bodyStarted.await(5, TimeUnit.SECONDS)).as("the peer read the start of the request first").isTrue();
        }
    }

    @Test
    void aRequestsUriIsTheOneItWasMadeForAsApacheHttpClientWouldGiveIt() throws Exception {
        var factory = PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null);
        var apache = new org.springframework.http.client.HttpComponentsClientHttpRequestFactory();
        for (String uri : new String[] {"https://vault-service:9101/internal/v1/tokens",
                "https://transaction-service:9102/internal/v1/payments/pay_1A2b3C/refunds?limit=10&starting_after=re_9",
                "http://127.0.0.1:8080/internal/v1/tokens/tok_%20x%2F/detokenize", "https://[::1]:9103/a/b?q=%C3%A9"}) {
            java.net.URI asked = java.net.URI.create(uri);
            var request = factory.createRequest(asked, org.springframework.http.HttpMethod.POST);
            assertThat(request.getURI()).isSameAs(asked)
                    .isEqualTo(apache.createRequest(asked, org.springframework.http.HttpMethod.POST).getURI());
            assertThat(request.getURI().getHost()).isEqualTo(asked.getHost());
        }
    }

    @Test
    void aRequestsBodyGoesOutWithItsLengthNotInChunks() throws Exception {
        String request = sent("/internal/v1/decisions", Map.of("payment_id", "pay_1", "amount_minor", 1999));

        String head = request.substring(0, request.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertThat(head).doesNotContain("transfer-encoding").contains("content-length: " + body.length());
        assertThat(body).startsWith("{").endsWith("}").contains("\"payment_id\":\"pay_1\"", "\"amount_minor\":1999");
    }

    @Test
    void aBodyLargerThanTheBufferIsStreamedNotHeldWhole() throws Exception {
        String request = sent("/v1/settlement-batches", Map.of("lines", "x".repeat(WholeBodies.MAX_WHOLE)));

        String head = request.substring(0, request.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        assertThat(head).contains("transfer-encoding: chunked").doesNotContain("content-length");
        assertThat(request).endsWith("\r\n0\r\n\r\n");
    }

    /** The request a peer read when {@code body} was posted to {@code path} through the services' client. */
    private static String sent(String path, Object body) throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> answerOnce(peer, received));
            RestClient.builder()
                    .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null))
                    .baseUrl("http://127.0.0.1:" + peer.getLocalPort())
                    .build()
                    .post().uri(path).body(body).retrieve().toBodilessEntity();
            return received.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBodyThatCannotBeSerialisedIsTheConvertersErrorBeforeAnythingIsSent() {
        HttpMessageNotWritableException notSerialisable = new HttpMessageNotWritableException("no serialiser for the body");

        assertThatThrownBy(() -> WholeBodies.serialise(out -> {
            throw notSerialisable;
        }, 1024)).isSameAs(notSerialisable);
        assertThatThrownBy(() -> WholeBodies.serialise(out -> {
            throw new IOException("the generator failed");
        }, 1024)).isInstanceOf(HttpMessageNotWritableException.class).hasMessageContaining("could not be written");
        assertThat(WholeBodies.serialise(out -> out.write(new byte[1024]), 1024)).hasSize(1024);
        assertThat(WholeBodies.serialise(out -> out.write(new byte[1025]), 1024)).as("past the cap").isNull();
    }

    @Test
    void aStreamedBodyThatCannotBeWrittenForAnyOtherReasonStaysAWriteError() {
        HttpMessageNotWritableException notSerialisable = new HttpMessageNotWritableException("no serialiser for the body");

        assertThatThrownBy(() -> WholeBodies.write(out -> {
            throw notSerialisable;
        }, OutputStream.nullOutputStream())).isSameAs(notSerialisable);
    }

    /**
     * Reads one request, headers and then as many bytes as its {@code Content-Length} says, or up to the last chunk of a
     * chunked body, and answers 204.
     */
    private static void answerOnce(ServerSocket peer, CompletableFuture<String> received) {
        try (Socket socket = peer.accept()) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                request.write(b);
            }
            String head = request.toString(StandardCharsets.ISO_8859_1);
            Matcher declared = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            if (declared.find()) {
                request.write(in.readNBytes(Integer.parseInt(declared.group(1))));
            } else if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                byte[] end = "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                byte[] buffer = new byte[8192];
                int n;
                while (!endsWith(request.toByteArray(), end) && (n = in.read(buffer)) > 0) {
                    request.write(buffer, 0, n);
                }
            }
            received.complete(request.toString(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            received.completeExceptionally(e);
        }
    }

    private static boolean endsWith(byte[] bytes, byte[] end) {
        return bytes.length >= end.length
                && Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length);
    }

    /** Reads the request's first 64 KiB, then closes with a reset (linger 0) instead of an orderly close. */
    private static void resetAfterTheFirstBytes(ServerSocket peer, CountDownLatch bodyStarted) {
        try (Socket socket = peer.accept()) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            int read = 0;
            while (read < buffer.length) {
                int n = in.read(buffer, read, buffer.length - read);
                if (n < 0) {
                    return;
                }
                read += n;
            }
            bodyStarted.countDown();
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // the client gave up first: the assertion on the call says so
        }
    }
}
