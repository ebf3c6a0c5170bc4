package dev.nightjar.common.security;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Finds out which workload sent a request. With the services' own TLS on, from the SPIFFE URI in the
 * verified client certificate; with TLS off behind a mesh, from the {@code X-Forwarded-Client-Cert}
 * header the sidecar sets (and strips from incoming traffic) after verifying the peer.
 */
public final class CallerIdentityResolver {

    public static final String XFCC_HEADER = "X-Forwarded-Client-Cert";
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private static final int SAN_URI = 6;

    private final boolean trustMeshHeader;

    /** @param trustMeshHeader true only when a mesh sidecar terminates mTLS in front of this service */
    public CallerIdentityResolver(boolean trustMeshHeader) {
        this.trustMeshHeader = trustMeshHeader;
    }

    /** The caller's workload name, or null when the caller proved no identity. */
    public String resolve(HttpServletRequest request) {
        Object attribute = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        if (attribute instanceof X509Certificate[] chain && chain.length > 0) {
            return workloadOf(chain[0]);
        }
        if (trustMeshHeader) {
            return workloadOfXfcc(request.getHeader(XFCC_HEADER));
        }
        return null;
    }

    static String workloadOf(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                if (name.size() >= 2 && Integer.valueOf(SAN_URI).equals(name.get(0))) {
                    String workload = Identities.workloadOf(String.valueOf(name.get(1)));
                    if (workload != null) {
                        return workload;
                    }
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            return null;
        }
    }

    /** Reads {@code URI=spiffe://…} of the last (closest) element of an XFCC header. */
    static String workloadOfXfcc(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] elements = header.split(",");
        String last = elements[elements.length - 1];
        for (String pair : last.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.regionMatches(true, 0, "URI=", 0, 4)) {
                String value = trimmed.substring(4);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return Identities.workloadOf(value);
            }
        }
        return null;
    }
}
