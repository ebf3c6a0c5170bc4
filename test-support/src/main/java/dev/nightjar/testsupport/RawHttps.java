package dev.nightjar.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over TLS, written byte for byte: the requests no ordinary client sends (raw bytes in headers,
 * repeated headers, broken lengths, malformed request targets). One connection per request, closed by
 * the server after its answer ({@code Connection: close}).
 */
public final class RawHttps {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final SSLContext tls;
    private final String host;
    private final int port;

    public RawHttps(SSLContext tls, String host, int port) {
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** A response as read from the wire; header names in lower case. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One header as bytes: a value may hold anything, the name too. */
    public record Header(String name, byte[] value) {

        public static Header of(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.ISO_8859_1));
        }

        public static Header utf8(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A request ready to go: the target as written (nothing escaped for it), every header as given ({@code Host}
     * included: a request may go without one), an optional body with its length declared unless told otherwise.
     */
    public record Request(String method, String target, List<Header> headers, byte[] body, boolean declareLength,
                   boolean halfClose) {

        public Request {
            headers = List.copyOf(headers);
        }

        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, method + " " + target + " HTTP/1.1\r\n");
            for (Header header : headers) {
                write(out, header.name() + ": ");
                out.writeBytes(header.value());
                write(out, "\r\n");
            }
            if (body != null && declareLength) {
                write(out, "Content-Length: " + body.length + "\r\n");
            }
            write(out, "Connection: close\r\n\r\n");
            if (body != null) {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    public Answer send(Request request) throws IOException {
        return exchange(request.bytes(), request.halfClose());
    }

    /**
     * Writes the bytes, half-closes when asked (a body shorter than its declared length then ends at once
     * instead of at the server's read timeout), and reads until the server closes; the first response is parsed.
     */
    public Answer exchange(byte[] request, boolean halfClose) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            byte[] received;
            try {
                received = socket.getInputStream().readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer within " + PATIENCE.toSeconds() + " s", e);
            }
            return parse(received);
        }
    }

    public static Answer parse(byte[] received) throws IOException {
        Answer answer = parseOne(received);
        while (answer.status() >= 100 && answer.status() < 200) {
            // an interim answer (100 Continue): the final one follows it
            answer = parseOne(answer.body());
        }
        return answer;
    }

    private static Answer parseOne(byte[] received) throws IOException {
        int end = indexOf(received, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IOException("no complete response head in " + received.length + " bytes");
        }
        String[] lines = new String(received, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        int start = end + 4;
        byte[] rest = java.util.Arrays.copyOfRange(received, start, received.length);
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (encoding.stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).contains("chunked"))) {
            return new Answer(status, headers, dechunk(rest));
        }
        List<String> length = headers.getOrDefault("content-length", List.of());
        if (!length.isEmpty()) {
            int declared = Integer.parseInt(length.get(0));
            return new Answer(status, headers, java.util.Arrays.copyOf(rest, Math.min(declared, rest.length)));
        }
        return new Answer(status, headers, rest);
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
