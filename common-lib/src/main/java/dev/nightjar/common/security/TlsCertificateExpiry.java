package dev.nightjar.common.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.function.Supplier;
import org.springframework.boot.ssl.SslBundle;

/**
 * {@code nightjar_tls_certificate_expiry_timestamp_seconds{identity}}: when the service's own certificate (the
 * one it presents, from its SSL bundle) stops being valid, in epoch seconds. Read from the bundle at each scrape,
 * an in-memory look-up, so a certificate reloaded after rotation shows at once. Not registered where a mesh
 * terminates TLS ({@code nightjar.tls.enabled=false}): the mesh's certificates are not the service's to watch.
 */
public final class TlsCertificateExpiry {

    public static final String METRIC = "nightjar.tls.certificate.expiry.timestamp_seconds";

    private final Supplier<SslBundle> bundle;

    /** @param bundle the service's bundle, asked for at every scrape (it may have been reloaded) */
    public TlsCertificateExpiry(Supplier<SslBundle> bundle, String identity, MeterRegistry meters) {
        this.bundle = bundle;
        Gauge.builder(METRIC, this, TlsCertificateExpiry::notAfterEpochSeconds)
                .description("When this service's own TLS certificate expires (notAfter), in epoch seconds")
                .tag("identity", identity)
                .register(meters);
    }

    /** The earliest notAfter of the leaf certificates in the bundle's key store; NaN when there is none. */
    public double notAfterEpochSeconds() {
        KeyStore keys = bundle.get().getStores().getKeyStore();
        if (keys == null) {
            return Double.NaN;
        }
        try {
            long earliest = Long.MAX_VALUE;
            for (String alias : Collections.list(keys.aliases())) {
                Certificate certificate = keys.getCertificate(alias);
                if (keys.isKeyEntry(alias) && certificate instanceof X509Certificate x509) {
                    earliest = Math.min(earliest, x509.getNotAfter().toInstant().getEpochSecond());
                }
            }
            return earliest == Long.MAX_VALUE ? Double.NaN : earliest;
        } catch (KeyStoreException e) {
            return Double.NaN;
        }
    }
}
