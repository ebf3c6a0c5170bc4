package dev.nightjar.common.http;

import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.observability.UnrecordedCalls;
import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * One {@link RestClient} per called service, each over a pooled keep-alive client ({@link PooledHttp}) presenting
 * this service's certificate (mTLS), with the connect and read timeouts of {@code nightjar.clients.<name>}.
 * Error answers become {@link RemoteCallException}s, a busy 503 ({@link ApiException#BUSY}) marked as one. Each
 * call's URI template is read once ({@link TemplateUris}).
 * Tracing headers are added by Boot's builder, and each call is observed as Spring's client observes it; a call made
 * inside a trace that is not recorded goes through a second client over the same connections, which passes the
 * trace on and counts the call itself, without an observation ({@link UnrecordedCalls}).
 *
 * <p>For measuring only, a service's {@code twin-url} names a second instance of it: every other call goes there,
 * over clients and connections of its own, so two builds or settings of one service serve the same calls in the same
 * window ({@code docs/tools/bench-twin.sh}).
 */
public final class InternalClients {

    private final RestClient.Builder builder;
    private final NightjarProperties properties;
    private final SslBundle sslBundle;
    private final UnrecordedCalls unrecorded;
    private final Map<String, Route> clients = new ConcurrentHashMap<>();

    public InternalClients(RestClient.Builder builder, NightjarProperties properties, SslBundles sslBundles) {
        this(builder, properties, sslBundles, null);
    }

    /** With {@code unrecorded} null, every call is observed. */
    public InternalClients(RestClient.Builder builder, NightjarProperties properties, SslBundles sslBundles,
                           UnrecordedCalls unrecorded) {
        this.builder = builder;
        this.unrecorded = unrecorded;
        this.properties = properties;
        this.sslBundle = properties.tls().enabled()
                ? sslBundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE)
                : null;
    }

    /**
     * The client for the named service, for a call made now on this thread (get one for each call); fails fast if
     * the service has no configured URL.
     */
    public RestClient client(String service) {
        return clients.computeIfAbsent(service, this::create).next().client();
    }

    /** The clients of one service: its URL's, and its twin's (null unless one is configured), taken in turn. */
    private record Route(UnrecordedCalls.Clients main, UnrecordedCalls.Clients twin, AtomicLong calls) {

        UnrecordedCalls.Clients next() {
            return twin == null || (calls.getAndIncrement() & 1) == 0 ? main : twin;
        }
    }

    private Route create(String service) {
        NightjarProperties.Client settings = properties.clients().get(service);
        if (settings == null || settings.url() == null) {
            throw new IllegalStateException("nightjar.clients." + service + ".url is not configured");
        }
        String twinUrl = settings.twinUrl();
        return new Route(clients(service, settings, settings.url()),
                twinUrl == null || twinUrl.isBlank() ? null : clients(service, settings, twinUrl), new AtomicLong());
    }

    private UnrecordedCalls.Clients clients(String service, NightjarProperties.Client settings, String url) {
        var requestFactory = PooledHttp.requestFactory(settings.connectTimeout(), settings.readTimeout(), sslBundle);
        return UnrecordedCalls.clients(unrecorded, configured(builder.clone(), service, url), requestFactory);
    }

    private static RestClient.Builder configured(RestClient.Builder builder, String service, String url) {
        return builder
                .uriBuilderFactory(new TemplateUris(url))
                .messageConverters(InternalClients::fleetJson)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
                    throw UnrecordedCalls.failed(request, new RemoteCallException(service,
                            response.getStatusCode().value(), readError(response),
                            "true".equals(response.getHeaders().getFirst(ApiException.BUSY))));
                });
    }

    /**
     * Puts the fleet's tolerant mapper ({@link Json#MAPPER}) in place of a client's JSON converter: a field added
     * by a newer service must not break an older caller.
     */
    public static void fleetJson(List<HttpMessageConverter<?>> converters) {
        converters.replaceAll(converter -> converter instanceof JacksonJsonHttpMessageConverter
                ? new JacksonJsonHttpMessageConverter(Json.MAPPER) : converter);
    }

    private static ApiError readError(ClientHttpResponse response) {
        try (InputStream body = response.getBody()) {
            byte[] bytes = body.readNBytes(16 * 1024);
            if (bytes.length == 0) {
                return null;
            }
            ErrorResponse error = Json.MAPPER.readValue(bytes, ErrorResponse.class);
            return error == null ? null : error.error();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
