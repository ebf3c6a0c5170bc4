package dev.nightjar.gateway.webhook;

import dev.nightjar.common.error.ApiException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs may receive webhooks. HTTPS only; plain HTTP to localhost only on the local platform. Unless
 * the platform is local, a destination on loopback, private, link-local or multicast addresses is refused
 * at registration (literal addresses) and again at every delivery (after resolving the name), so webhooks
 * cannot be aimed at the platform's own network.
 */
public final class WebhookUrls {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1");

    private final WebhookProperties properties;

    public WebhookUrls(WebhookProperties properties) {
        this.properties = properties;
    }

    /** Normalizes and checks a URL a merchant registers; a 400 naming {@code url} when it may not be used. */
    public URI validate(String url) {
        URI uri;
        try {
            uri = new URI(url).normalize();
        } catch (URISyntaxException e) {
            throw invalid("url must be an absolute https:// URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !uri.isAbsolute()) {
            throw invalid("url must be an absolute https:// URL.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not carry a user name or password.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not have a fragment.");
        }
        boolean localHttp = "http".equals(scheme) && properties.allowLocalHttp() && LOCAL_HOSTS.contains(host);
        if (!"https".equals(scheme) && !localHttp) {
            throw invalid(properties.allowLocalHttp()
                    ? "url must use https (plain http only to localhost or 127.0.0.1 on the local platform)."
                    : "url must use https.");
        }
        if (!properties.allowPrivateAddresses() && (LOCAL_HOSTS.contains(host) || isLiteralPrivate(host))) {
            throw invalid("url must point to a public address.");
        }
        return uri;
    }

    /** Before each delivery: null when the destination may be called, else why not. */
    public String refusal(URI uri) {
        if (properties.allowPrivateAddresses()) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isPrivate(address)) {
                    return "destination resolves to a non-public address";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "destination host does not resolve";
        }
    }

    private static boolean isLiteralPrivate(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return isPrivate(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                || (first == 169 && second == 254) || first >= 224;
    }

    private static ApiException invalid(String message) {
        return ApiException.invalidParameter("url", message);
    }
}
